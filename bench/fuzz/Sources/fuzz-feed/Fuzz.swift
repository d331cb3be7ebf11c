import Foundation
import Webshop

/// The UNAS feed reader, through a file as in production (in /dev/shm to keep it in memory).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let path = "/dev/shm/chatbuddy-fuzz-feed-\(getpid()).xml"
    FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
    defer { try? FileManager.default.removeItem(atPath: path) }
    guard let reader = try? UNASFeedReader(path: path) else { return 0 }
    while let entry = try? reader.next() { _ = entry }
    return 0
}
