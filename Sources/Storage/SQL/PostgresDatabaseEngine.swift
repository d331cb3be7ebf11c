import Foundation
import Logging
import NIOSSL
import PostgresNIO

/// The server engine: a pooled, non-blocking `PostgresClient` on the process's event loops.
public final class PostgresDatabaseEngine: SQLDatabase {
    public let dialect = SQLDialect.postgres
    private let client: PostgresClient
    private let logger: Logger

    /// Creates the engine for a `postgres://user:pass@host:port/db?sslmode=…` URL; call `run()` before use.
    public init(url: String, logger: Logger) throws {
        guard let components = URLComponents(string: url), let host = components.host, !host.isEmpty else {
            throw StoreError.unsupportedURL("postgres URL without a host")
        }
        let sslMode = components.queryItems?.first { $0.name == "sslmode" }?.value ?? "disable"
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "prefer": tls = .prefer(.makeClientConfiguration())
        default: tls = .require(.makeClientConfiguration())
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var configuration = PostgresClient.Configuration(
            host: host,
            port: components.port ?? 5432,
            username: components.user ?? "postgres",
            password: components.password,
            database: database.isEmpty ? nil : database,
            tls: tls
        )
        configuration.options.maximumConnections = 10
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
    }

    @discardableResult
    public func query(_ statement: SQLStatement) async throws -> [SQLRow] {
        try await Self.collect(client.query(Self.postgresQuery(statement), logger: logger))
    }

    public func transaction<T: Sendable>(_ body: @escaping @Sendable (any SQLExecutor) async throws -> T) async throws -> T {
        try await client.withTransaction(logger: logger) { connection in
            try await body(Executor(connection: connection, logger: self.logger))
        }
    }

    public func reclaim(_ tables: [String]) async throws {
        // Plain VACUUM removes the dead rows from the tables' pages, so their space is reused; it takes no lock
        // that stops the gateways. The bytes may stay in unused space, the WAL and backups until overwritten.
        for table in tables { try await query("VACUUM \(unsafeRaw: table)") }
    }

    public func run() async {
        await client.run()
    }

    public func notify(_ channel: String, _ payload: String) async throws {
        try await query("SELECT 1 AS sent FROM (SELECT pg_notify(\(channel), \(payload))) AS notified")
    }

    public func listen(_ channel: String) -> AsyncThrowingStream<String, any Error> {
        let client = self.client
        return AsyncThrowingStream { continuation in
            // A pooled connection of its own, kept while the stream is read.
            let task = Task {
                do {
                    try await client.withConnection { connection in
                        try await connection.listen(on: channel) { notifications in
                            for try await notification in notifications { continuation.yield(notification.payload) }
                        }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func close() async throws {}

    fileprivate static func postgresQuery(_ statement: SQLStatement) -> PostgresQuery {
        let (sql, values) = statement.render(.postgres)
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .int(let int): bindings.append(int)
            case .double(let double): bindings.append(double)
            case .text(let text): bindings.append(text)
            }
        }
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    fileprivate static func collect(_ rows: PostgresRowSequence) async throws -> [SQLRow] {
        var result: [SQLRow] = []
        var columns: [String]?
        for try await row in rows {
            let names = columns ?? row.map(\.columnName)
            columns = names
            var values: [SQLValue] = []
            values.reserveCapacity(names.count)
            for cell in row {
                values.append(try SQLValue(cell))
            }
            result.append(SQLRow(columns: names, values: values))
        }
        return result
    }

    /// Runs statements on the connection a transaction holds.
    private struct Executor: SQLExecutor {
        let connection: PostgresConnection
        let logger: Logger

        func query(_ statement: SQLStatement) async throws -> [SQLRow] {
            try await PostgresDatabaseEngine.collect(
                connection.query(PostgresDatabaseEngine.postgresQuery(statement), logger: logger))
        }
    }
}

extension SQLValue {
    fileprivate init(_ cell: PostgresCell) throws {
        guard cell.bytes != nil else {
            self = .null
            return
        }
        switch cell.dataType {
        case .int2, .int4, .int8: self = .int(try cell.decode(Int64.self))
        case .float4, .float8: self = .double(try cell.decode(Double.self))
        case .bool: self = .int(try cell.decode(Bool.self) ? 1 : 0)
        default: self = .text(try cell.decode(String.self))
        }
    }
}
