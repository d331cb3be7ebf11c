import FuzzDriver

/// The program's entry point (SwiftPM points `main` here): runs libFuzzer on `fuzz`.
@_cdecl("fuzz_widget_main")
public func entry(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    chatbuddy_fuzz_main(argc, argv) { data, size in data.map { fuzz($0, size) } ?? 0 }
}
