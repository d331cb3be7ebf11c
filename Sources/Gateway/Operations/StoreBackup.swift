import Foundation
import Storage

/// `chatbuddy backup` and `restore` for the SQLite store; PostgreSQL has `pg_dump` and `pg_restore`.
public enum StoreBackup {
    /// Copies the configured SQLite store to `file` while it may be serving; returns the copy's schema version.
    public static func backup(_ config: GatewayConfig, to file: String) throws -> Int {
        try SQLiteBackup.backup(from: try sqlitePath(config), to: file)
    }

    /// Replaces the configured SQLite store with the backup in `file`; refused while a `serve` has the store.
    public static func restore(_ config: GatewayConfig, from file: String) throws -> Int {
        let path = try sqlitePath(config)
        // Holding the serve lock keeps a server from starting meanwhile, and proves none is running now.
        let lock: SQLiteServeLock?
        do {
            lock = try SQLiteServeLock.acquire(url: config.storage.url)
        } catch let refusal as SQLiteServeLock.Refusal {
            throw SQLiteBackup.Failure("restore refused: \(refusal.description)")
        }
        return try withExtendedLifetime(lock) { try SQLiteBackup.restore(from: file, to: path) }
    }

    private static func sqlitePath(_ config: GatewayConfig) throws -> String {
        guard config.storage.url.hasPrefix("sqlite:") else {
            throw SQLiteBackup.Failure(
                "storage.url is PostgreSQL: back it up with pg_dump and restore it with pg_restore (README: Backups)")
        }
        return String(config.storage.url.dropFirst("sqlite:".count))
    }
}
