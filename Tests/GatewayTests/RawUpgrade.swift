import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A WebSocket upgrade request written by hand on a TCP socket, for headers a WebSocket client library
/// sets itself (such as `Origin`): returns the server's status line.
enum RawUpgrade {
    struct Failure: Error {
        var step: String
    }

    /// Runs on a Dispatch thread: the blocking socket calls must not hold one of the few threads that also
    /// run the server's async work under test.
    static func statusLine(port: Int, path: String, origin: String) async throws -> String {
        try await response(port: port, path: path, origin: origin).components(separatedBy: "\r\n").first ?? ""
    }

    /// The first bytes of the answer to an upgrade request: status line, headers and the start of the body.
    static func response(port: Int, path: String, origin: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingResponse(port: port, path: path, origin: origin) })
            }
        }
    }

    private static func blockingResponse(port: Int, path: String, origin: String) throws -> String {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard handle >= 0 else { throw Failure(step: "socket") }
        defer { close(handle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(handle, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(step: "connect") }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(handle, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let request = [
            "GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: Upgrade", "Upgrade: websocket",
            "Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Origin: \(origin)", "", "",
        ].joined(separator: "\r\n")
        let bytes = Array(request.utf8)
        guard write(handle, bytes, bytes.count) == bytes.count else { throw Failure(step: "write") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(handle, &buffer, buffer.count)
        guard count > 0 else { throw Failure(step: "read") }
        return String(decoding: buffer[..<count], as: UTF8.self)
    }
}
