import Foundation

/// Applies the migrations a database has not seen yet, each in its own transaction.
struct Migrator {
    let database: any SQLDatabase

    /// Applies pending migrations and returns the versions applied. Gateways starting together on one
    /// PostgreSQL take turns: each step holds a transaction-scoped advisory lock, so one applies a
    /// migration and the others find it applied.
    func migrate() async throws -> [Int] {
        let dialect = database.dialect
        try await database.transaction { executor in
            try await Self.serialize(executor, dialect)
            try await executor.query(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            )
        }
        var applied: [Int] = []
        for migration in Migrations.all {
            let didApply = try await database.transaction { executor in
                try await Self.serialize(executor, dialect)
                let existing = try await executor.query(
                    "SELECT version FROM schema_migrations WHERE version = \(migration.version)")
                guard existing.isEmpty else { return false }
                for statement in migration.statements(dialect) {
                    try await executor.query(SQLStatement(stringLiteral: statement))
                }
                try await executor.query(
                    """
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(migration.version), \(migration.name), \(Date().milliseconds))
                    """)
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }

    /// The advisory lock key of migrations (any fixed number; "chatbuddy" in ASCII, truncated).
    static let lockKey: Int64 = 0x6368_6174_6275_6464

    /// Waits, on PostgreSQL, for the migration lock until the transaction ends (SQLite's one writer serializes already).
    private static func serialize(_ executor: any SQLExecutor, _ dialect: SQLDialect) async throws {
        guard dialect == .postgres else { return }
        try await executor.query("SELECT 1 AS locked FROM (SELECT pg_advisory_xact_lock(\(lockKey))) AS lock")
    }
}
