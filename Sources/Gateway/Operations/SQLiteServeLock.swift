import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one `serve` of a SQLite database: an exclusive lock on `PATH.lock` beside it, held while the
/// process lives (the kernel drops it when the process ends, even by `kill -9`). SQLite serves one
/// process; several gateways share PostgreSQL.
final class SQLiteServeLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock of the database at `url`; nil for a database that is not SQLite.
    static func acquire(url: String) throws -> SQLiteServeLock? {
        guard url.hasPrefix("sqlite:") else { return nil }
        let path = String(url.dropFirst("sqlite:".count))
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try SQLiteServeLock(path: path)
    }

    private init(path: String) throws {
        let lockPath = path + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw Refusal("cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = pread(descriptor, &bytes, bytes.count, 0)
            close(descriptor)
            let holder = count > 0 ? String(decoding: bytes.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : "?"
            throw Refusal(
                "\(path) is already served by another chatbuddy serve (pid \(holder)); SQLite serves one process: "
                    + "stop that one, or set DATABASE_URL to PostgreSQL to run several")
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = pwrite(descriptor, pid, pid.count, 0)
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Why `serve` will not start on the database.
    struct Refusal: Error, CustomStringConvertible {
        let description: String

        init(_ description: String) {
            self.description = description
        }
    }
}
