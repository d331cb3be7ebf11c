import Foundation
import Logging
import Storage


/// The engines the storage-backed tests run on: SQLite always, PostgreSQL when `TEST_DATABASE_URL`
/// is set, and also when `CI` is set (so a missing server fails there instead of being skipped).
public enum TestDatabase: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite
    case postgres

    public static var engines: [TestDatabase] {
        let environment = ProcessInfo.processInfo.environment
        let postgres = environment["TEST_DATABASE_URL"] != nil || environment["CI"] != nil
        return postgres ? [.sqlite, .postgres] : [.sqlite]
    }

    public var description: String { rawValue }

    /// A fresh, empty database URL of this engine: a new SQLite file, or a new PostgreSQL database.
    public func makeURL() async throws -> String {
        switch self {
        case .sqlite:
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-tests")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            return "sqlite:" + folder.appendingPathComponent("\(UUID().uuidString).sqlite").path
        case .postgres:
            guard let base = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] else {
                throw MissingPostgres()
            }
            let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            let admin = try PostgresDatabaseEngine(url: base, logger: Self.logger)
            let pool = Task { await admin.run() }
            defer { pool.cancel() }
            try await admin.query(SQLStatement(stringLiteral: "CREATE DATABASE \(name)"))
            var components = URLComponents(string: base)!
            components.path = "/" + name
            return components.string!
        }
    }

    /// Runs `body` with a migrated store on a fresh database of this engine.
    public func withStore<T: Sendable>(_ body: (SQLStore) async throws -> T) async throws -> T {
        let store = try await SQLStore.open(url: makeURL(), logger: Self.logger)
        let pool = Task { await store.run() }
        defer { pool.cancel() }
        try await store.migrate()
        let result = try await body(store)
        try await store.close()
        return result
    }

    /// Runs `statements` on the database at `url` over a connection of its own (to inject faults such as
    /// a trigger that fails every write, as a full disk or a read-only database would).
    public static func execute(_ statements: [String], on url: String) async throws {
        let database: any SQLDatabase = url.hasPrefix("sqlite:")
            ? try SQLiteDatabaseEngine(path: String(url.dropFirst("sqlite:".count)))
            : try PostgresDatabaseEngine(url: url, logger: logger)
        let pool = Task { await database.run() }
        defer { pool.cancel() }
        for statement in statements { try await database.query(SQLStatement(stringLiteral: statement)) }
        try await database.close()
    }

    /// Makes every `operation` (UPDATE, INSERT) on `table` fail with an error, on this engine (`allow` undoes it);
    /// with `exceptClaims`, an update that sets a new lease (an outbox claim) still writes, so what fails is
    /// recording what a send did.
    public func failWrites(_ operation: String = "UPDATE", of table: String, exceptClaims: Bool = false, on url: String) async throws {
        let name = "fault_\(operation.lowercased())_\(table)"
        switch self {
        case .sqlite:
            let when = exceptClaims ? "WHEN NEW.lease_until IS OLD.lease_until OR NEW.lease_until IS NULL" : ""
            try await Self.execute(
                ["CREATE TRIGGER \(name) BEFORE \(operation) ON \(table) \(when) BEGIN SELECT RAISE(ABORT, 'injected write fault'); END"], on: url)
        case .postgres:
            let when = exceptClaims ? "WHEN (NEW.lease_until IS NOT DISTINCT FROM OLD.lease_until OR NEW.lease_until IS NULL)" : ""
            try await Self.execute([
                "CREATE OR REPLACE FUNCTION injected_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected write fault'; END $$",
                "CREATE TRIGGER \(name) BEFORE \(operation) ON \(table) FOR EACH ROW \(when) EXECUTE FUNCTION injected_fault()",
            ], on: url)
        }
    }

    /// Undoes `failWrites(_:of:on:)`.
    public func allowWrites(_ operation: String = "UPDATE", of table: String, on url: String) async throws {
        let name = "fault_\(operation.lowercased())_\(table)"
        try await Self.execute([self == .sqlite ? "DROP TRIGGER \(name)" : "DROP TRIGGER \(name) ON \(table)"], on: url)
    }

    public static let logger: Logger = {
        var logger = Logger(label: "tests")
        logger.logLevel = .warning
        return logger
    }()

    struct MissingPostgres: Error, CustomStringConvertible {
        var description: String {
            "CI is set but TEST_DATABASE_URL is not: start PostgreSQL (scripts/with-postgres.sh) instead of skipping its tests"
        }
    }
}
