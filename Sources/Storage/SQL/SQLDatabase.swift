/// Runs statements on one connection or inside one transaction.
public protocol SQLExecutor: Sendable {
    /// Runs a statement and returns its rows.
    @discardableResult
    func query(_ statement: SQLStatement) async throws -> [SQLRow]
}

/// A database engine the store can run on.
public protocol SQLDatabase: SQLExecutor {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T
    /// Makes the bytes of rows deleted from `tables` unrecoverable from the database's files, as far as the
    /// engine allows (docs/architecture.md §3.3): SQLite zeroes deleted content as it deletes and here
    /// truncates its write-ahead log; PostgreSQL vacuums the tables.
    func reclaim(_ tables: [String]) async throws
    /// Keeps the engine's background work (connection pools) going until cancelled.
    func run() async
    /// Sends `payload` to every connection listening on `channel` (PostgreSQL `NOTIFY`); nothing where
    /// one process holds the database (SQLite).
    func notify(_ channel: String, _ payload: String) async throws
    /// What is sent on `channel` from now on, until the stream is dropped; never anything on SQLite.
    func listen(_ channel: String) -> AsyncThrowingStream<String, any Error>
    func close() async throws
}
