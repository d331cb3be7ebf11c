// swift-tools-version: 6.1
// libFuzzer targets for every parser of untrusted bytes; built and run only by bench/fuzz.sh
// (`-sanitize=fuzzer,address`), never by the normal build or CI.
import PackageDescription

let targets = ["fuzz-meta", "fuzz-twilio", "fuzz-email", "fuzz-html", "fuzz-widget", "fuzz-feed"]

let package = Package(
    name: "chatbuddy-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "chatbuddy", path: "../..")],
    targets: [.target(name: "FuzzDriver", path: "Sources/FuzzDriver")]
        + targets.map { name in
            .executableTarget(
                name: name,
                dependencies: ["FuzzDriver", .product(name: "ChatBuddyParsers", package: "chatbuddy")],
                path: "Sources/\(name)",
                // The entry point is Entry.swift's `<module>_main`, which hands over to libFuzzer.
                swiftSettings: [.unsafeFlags(["-parse-as-library"])])
        }
)
