import Foundation
import GRDB
import Logging

/// The embedded engine: one SQLite file in WAL mode on one GRDB connection, with cached prepared
/// statements. Statements run on the calling task's thread (they take microseconds), one task at a
/// time; a transaction keeps the connection for its whole body.
public final class SQLiteDatabaseEngine: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let queue: DatabaseQueue
    private let gate = SerialGate()

    /// Opens (creating if needed) the database file at `path`, and its folder.
    public init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // A transaction spans several accesses here; the gate keeps every other task out meanwhile.
        configuration.allowsUnsafeTransactions = true
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            // With WAL, NORMAL makes a commit survive a process crash; only an OS crash can lose the latest ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
    }

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await gate.run { try self.queue.inDatabase { try Self.execute(statement, in: $0) } }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await gate.run {
            try self.queue.inDatabase { try $0.execute(sql: "BEGIN IMMEDIATE") }
            do {
                let result = try await body(Executor(queue: self.queue))
                try self.queue.inDatabase { try $0.execute(sql: "COMMIT") }
                return result
            } catch {
                try? self.queue.inDatabase { db in
                    if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
                }
                throw error
            }
        }
    }

    public func run() async {}

    public func close() async throws {
        try await gate.run { try self.queue.close() }
    }

    fileprivate static func execute(_ statement: SQLStatement, in db: Database) throws -> [SQLRow] {
        let (sql, binds) = statement.render(.sqlite)
        let prepared = try db.cachedStatement(sql: sql)
        let arguments = StatementArguments(binds.map(\.databaseValue))
        return try Row.fetchAll(prepared, arguments: arguments).map { row in
            var values: [String: SQLValue] = [:]
            for (column, value) in row {
                values[column] = SQLValue(value)
            }
            return SQLRow(values: values)
        }
    }

    /// Runs statements on the connection a transaction holds (the gate is already taken).
    private struct Executor: SQLExecutor {
        let queue: DatabaseQueue

        func query(_ statement: SQLStatement) async throws -> [SQLRow] {
            try queue.inDatabase { try SQLiteDatabaseEngine.execute(statement, in: $0) }
        }
    }
}

extension SQLValue {
    fileprivate init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let int): self = .int(int)
        case .double(let double): self = .double(double)
        case .string(let string): self = .text(string)
        case .blob(let data): self = .text(String(decoding: data, as: UTF8.self))
        }
    }

    fileprivate var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .int(let int): int.databaseValue
        case .double(let double): double.databaseValue
        case .text(let text): text.databaseValue
        }
    }
}
