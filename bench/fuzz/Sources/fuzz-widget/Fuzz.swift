import Channels

/// Frames a widget page sends over its socket.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? WidgetClientFrame.parse(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self), maxCharacters: 2000)
    return 0
}
