import Foundation
import GRDB
import GRDBSQLite
import Logging
import Synchronization

/// The embedded engine: one SQLite file in WAL mode through a GRDB pool (one writer, concurrent
/// readers), with cached prepared statements. Statements run on the calling task's thread (they take
/// microseconds). Reads go to the readers and never wait for writes; writes take turns.
///
/// Transactions are committed in groups: whoever gets the connection runs every transaction queued
/// meanwhile, each in its own savepoint, under one `COMMIT`; each caller returns once that commit is
/// done, and a failing transaction rolls back alone.
public final class SQLiteDatabaseEngine: SQLDatabase {
    public let dialect = SQLDialect.sqlite
    private let connections: Connections
    private let path: String
    private let gate = SerialGate()
    private let waiting = Mutex<[any GroupedTransaction]>([])

    /// Opens (creating if needed) the database file at `path`, and its folder.
    public init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // A transaction spans several accesses here; the gate keeps every other task out meanwhile.
        configuration.allowsUnsafeTransactions = true
        configuration.prepareDatabase { db in
            // With WAL, NORMAL makes a commit survive a process crash; only an OS crash can lose the latest ones.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Checkpoints (which fsync) run in the background from `run()`; this only bounds the log meanwhile.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 20000")
            // Deleted content is overwritten with zeros, so an erased customer's words do not linger in free space.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        self.path = path
        connections = Connections(pool: try DatabasePool(path: path, configuration: configuration))
    }

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        if statement.isRead { return try connections.read(statement) }
        return try await gate.run { try self.connections.write(statement) }
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        let transaction = QueuedTransaction(body: body)
        waiting.withLock { $0.append(transaction) }
        try await gate.run {
            // An earlier caller may already have committed this one with its group.
            guard !transaction.isFinished else { return }
            let group = self.waiting.withLock { queued in
                defer { queued.removeAll() }
                return queued
            }
            await self.commit(group)
        }
        return try transaction.outcome()
    }

    /// Runs a group of transactions under one commit; called with the gate held.
    private func commit(_ group: [any GroupedTransaction]) async {
        do {
            try connections.write("BEGIN IMMEDIATE")
        } catch {
            for transaction in group { transaction.fail(error) }
            return
        }
        var ran: [any GroupedTransaction] = []
        for transaction in group {
            do {
                try connections.write("SAVEPOINT grouped")
                do {
                    try await transaction.run(on: connections)
                    try connections.write("RELEASE grouped")
                    ran.append(transaction)
                } catch {
                    try connections.write("ROLLBACK TO grouped")
                    try connections.write("RELEASE grouped")
                    transaction.fail(error)
                }
            } catch {
                transaction.fail(error)
            }
        }
        do {
            try connections.write("COMMIT")
            for transaction in ran { transaction.succeed() }
        } catch {
            connections.rollBackIfNeeded()
            for transaction in ran { transaction.fail(error) }
        }
    }

    public func notify(_ channel: String, _ payload: String) async throws {}

    public func listen(_ channel: String) -> AsyncThrowingStream<String, any Error> {
        // One process serves a SQLite database: no other gateway sends anything. The stream stays open (its
        // termination handler keeps the continuation) until its reader is cancelled or drops it.
        AsyncThrowingStream { continuation in continuation.onTermination = { _ in _ = continuation } }
    }

    public func reclaim(_ tables: [String]) async throws {
        // The log still holds the pages as they were before the delete: copied back and emptied, they are gone.
        // A reader on an older snapshot keeps the log from being emptied; it is tried again for a while.
        for attempt in 0..<50 {
            let rows = try await gate.run { try self.connections.write("PRAGMA wal_checkpoint(TRUNCATE)") }
            if rows.first?.int("busy") == 0 { return }
            try await Task.sleep(for: .milliseconds(20 * (attempt + 1)))
        }
        throw StoreError.logNotEmptied
    }

    /// Checkpoints the write-ahead log now and then on a thread of its own, so that its fsync never
    /// stalls a commit or a task thread.
    public func run() async {
        guard let checkpointer = try? DatabaseQueue(path: path) else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(500))
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global(qos: .utility).async {
                    try? checkpointer.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(PASSIVE)") }
                    done.resume()
                }
            }
        }
        try? checkpointer.close()
    }

    public func close() async throws {
        try await gate.run { try self.connections.pool.close() }
    }
}

/// Synchronous access to the pool's connections. The writer's statements are also the executor of a
/// running transaction group (the gate is held then).
private struct Connections: SQLExecutor {
    let pool: DatabasePool

    func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try write(statement)
    }

    /// One `SELECT` on a reader connection, in the read transaction SQLite opens for the statement alone; it
    /// ends when `execute` resets the statement, so the connection keeps no old snapshot for later reads. GRDB's
    /// `read` wraps each in a transaction of its own, whose `BEGIN` and `COMMIT` (parsed anew each time) took
    /// twice the time of the reads themselves under load.
    func read(_ statement: SQLStatement) throws -> [SQLRow] {
        try pool.unsafeRead { try Self.execute(statement, in: $0) }
    }

    @discardableResult
    func write(_ statement: SQLStatement) throws -> [SQLRow] {
        try pool.writeWithoutTransaction { try Self.execute(statement, in: $0) }
    }

    func rollBackIfNeeded() {
        try? pool.writeWithoutTransaction { db in
            if db.isInsideTransaction { try db.execute(sql: "ROLLBACK") }
        }
    }

    /// Runs a statement GRDB prepared and cached, binding its values and reading its rows with SQLite's own calls:
    /// GRDB's arguments and rows (existential values, generic code not specialized here) were a tenth of the
    /// gateway's time under load.
    private static func execute(_ statement: SQLStatement, in db: Database) throws -> [SQLRow] {
        let (sql, binds) = statement.render(.sqlite)
        let handle = try db.cachedStatement(sql: sql).sqliteStatement
        sqlite3_reset(handle)
        // Reset once read, so a reader's statement does not keep its connection on an old snapshot.
        defer { sqlite3_reset(handle) }
        for (index, value) in binds.enumerated() {
            let position = Int32(index + 1)
            let code: Int32 =
                switch value {
                case .null: sqlite3_bind_null(handle, position)
                case .int(let int): sqlite3_bind_int64(handle, position, int)
                case .double(let double): sqlite3_bind_double(handle, position, double)
                case .text(var text):
                    text.withUTF8 { utf8 in
                        guard let base = utf8.baseAddress, !utf8.isEmpty else { return sqlite3_bind_text(handle, position, "", 0, nil) }
                        return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                            sqlite3_bind_text(handle, position, $0, Int32(utf8.count), Self.transient)
                        }
                    }
                }
            guard code == SQLITE_OK else { throw Self.error(code, db, sql) }
        }
        let columns = (0..<sqlite3_column_count(handle)).map { String(cString: sqlite3_column_name(handle, $0)) }
        var rows: [SQLRow] = []
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_ROW:
                var values: [SQLValue] = []
                values.reserveCapacity(columns.count)
                for index in columns.indices {
                    values.append(Self.value(handle, Int32(index)))
                }
                rows.append(SQLRow(columns: columns, values: values))
            case SQLITE_DONE:
                return rows
            case let code:
                throw Self.error(code, db, sql)
            }
        }
    }

    /// SQLite copies a bound text at once (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Column `index` of the current row.
    private static func value(_ handle: SQLiteStatement, _ index: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(handle, index))
        case SQLITE_NULL: return .null
        default:
            // Text, and blobs read as UTF-8 text as before.
            guard let bytes = sqlite3_column_blob(handle, index) else { return .text("") }
            let count = Int(sqlite3_column_bytes(handle, index))
            return .text(String(decoding: UnsafeRawBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
    }

    private static func error(_ code: Int32, _ db: Database, _ sql: String) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }
}

/// A transaction waiting to be run in a group, whatever its result type.
private protocol GroupedTransaction: Sendable {
    func run(on executor: any SQLExecutor) async throws
    func succeed()
    func fail(_ error: any Error)
}

/// One caller's transaction body and, once its group has committed, its outcome.
private final class QueuedTransaction<T: Sendable>: GroupedTransaction {
    private enum State {
        case queued
        case ran(T)
        case finished(Result<T, any Error>)
    }

    private let body: @Sendable (any SQLExecutor) async throws -> T
    private let state = Mutex<State>(.queued)

    init(body: @escaping @Sendable (any SQLExecutor) async throws -> T) {
        self.body = body
    }

    var isFinished: Bool {
        state.withLock { if case .finished = $0 { true } else { false } }
    }

    func run(on executor: any SQLExecutor) async throws {
        let value = try await body(executor)
        state.withLock { $0 = .ran(value) }
    }

    func succeed() {
        state.withLock { state in
            if case .ran(let value) = state { state = .finished(.success(value)) }
        }
    }

    func fail(_ error: any Error) {
        state.withLock { $0 = .finished(.failure(error)) }
    }

    func outcome() throws -> T {
        try state.withLock { state in
            guard case .finished(let result) = state else { throw StoreError.transactionNotRun }
            return try result.get()
        }
    }
}
