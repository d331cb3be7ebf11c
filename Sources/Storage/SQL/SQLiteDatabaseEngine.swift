import Foundation
import Logging
import SQLiteNIO

/// The embedded engine: one SQLite file in WAL mode, one connection, statements serialized.
public final class SQLiteDatabaseEngine: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connection: SQLiteConnection
    private let gate = SerialGate()

    /// Opens (creating if needed) the database file at `path`, and its folder.
    public static func open(path: String, logger: Logger) async throws -> SQLiteDatabaseEngine {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let engine = SQLiteDatabaseEngine(connection: connection)
        // WAL with synchronous=NORMAL: a commit survives a process crash; only an OS crash can lose the last ones.
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA foreign_keys=ON", "PRAGMA busy_timeout=5000"] {
            _ = try await connection.query(pragma, [])
        }
        return engine
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await gate.run { try await Self.execute(statement, on: self.connection) }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await gate.run {
            let executor = Executor(connection: self.connection)
            _ = try await self.connection.query("BEGIN IMMEDIATE", [])
            do {
                let result = try await body(executor)
                _ = try await self.connection.query("COMMIT", [])
                return result
            } catch {
                _ = try? await self.connection.query("ROLLBACK", [])
                throw error
            }
        }
    }

    public func run() async {}

    public func close() async throws {
        try await gate.run { try await self.connection.close() }
    }

    fileprivate static func execute(_ statement: SQLStatement, on connection: SQLiteConnection) async throws -> [SQLRow] {
        let (sql, binds) = statement.render(.sqlite)
        let rows = try await connection.query(sql, binds.map(\.sqliteData))
        return rows.map { row in
            var values: [String: SQLValue] = [:]
            for column in row.columns {
                values[column.name] = SQLValue(column.data)
            }
            return SQLRow(values: values)
        }
    }

    /// Runs statements on the connection already held by a transaction.
    private struct Executor: SQLExecutor {
        let connection: SQLiteConnection

        func query(_ statement: SQLStatement) async throws -> [SQLRow] {
            try await SQLiteDatabaseEngine.execute(statement, on: connection)
        }
    }
}

extension SQLValue {
    fileprivate init(_ data: SQLiteData) {
        switch data {
        case .integer(let value): self = .int(Int64(value))
        case .float(let value): self = .double(value)
        case .text(let value): self = .text(value)
        case .blob(let buffer): self = .text(String(buffer: buffer))
        case .null: self = .null
        }
    }

    fileprivate var sqliteData: SQLiteData {
        switch self {
        case .null: .null
        case .int(let value): .integer(SQLiteInt64(value))
        case .double(let value): .float(value)
        case .text(let value): .text(value)
        }
    }
}
