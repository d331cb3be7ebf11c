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
    /// Keeps the engine's background work (connection pools) going until cancelled.
    func run() async
    func close() async throws
}
