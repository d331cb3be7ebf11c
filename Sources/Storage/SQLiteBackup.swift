import Foundation
import GRDB

/// Online copies of a SQLite store with SQLite's backup API: the copy is one consistent snapshot, taken
/// while a server goes on writing (WAL readers never block writers).
public enum SQLiteBackup {
    /// Copies the database at `source` into a new file at `destination`; returns the copy's migrations' version.
    public static func backup(from source: String, to destination: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure("\(source) does not exist") }
        guard !FileManager.default.fileExists(atPath: destination) else { throw Failure("\(destination) exists; a backup never overwrites a file") }
        // A connection of its own beside the server's (SQLite serves several processes' connections to one file).
        var shared = Configuration()
        shared.busyMode = .timeout(5)
        let reader = try DatabaseQueue(path: source, configuration: shared)
        let copy = try DatabaseQueue(path: destination)
        try reader.backup(to: copy)
        let version = try check(copy, named: destination)
        try copy.close()
        try reader.close()
        return version
    }

    /// Replaces the database at `destination` with the backup at `source`, which is checked first; the caller
    /// makes sure no server has `destination` open. Returns the restored migrations' version.
    public static func restore(from source: String, to destination: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: source) else { throw Failure("\(source) does not exist") }
        let backup = try DatabaseQueue(path: source, configuration: readOnly)
        let version = try check(backup, named: source)
        let folder = URL(fileURLWithPath: destination).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let target = try DatabaseQueue(path: destination)
        try backup.backup(to: target)
        try target.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        try target.close()
        try backup.close()
        return version
    }

    /// The database passes SQLite's integrity check and is a ChatBuddy store; returns its latest migration.
    private static func check(_ database: some DatabaseReader, named name: String) throws -> Int {
        try database.read { db in
            let integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check")
            guard integrity == ["ok"] else { throw Failure("\(name) is damaged: \(integrity.prefix(3).joined(separator: "; "))") }
            guard try db.tableExists("schema_migrations"), let version = try Int.fetchOne(db, sql: "SELECT MAX(version) FROM schema_migrations") else {
                throw Failure("\(name) is not a ChatBuddy database")
            }
            return version
        }
    }

    private static var readOnly: Configuration {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(5)
        return configuration
    }

    /// Why a backup or a restore did not happen.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(_ description: String) {
            self.description = description
        }
    }
}
