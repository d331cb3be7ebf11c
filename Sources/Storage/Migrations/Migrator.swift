import Foundation

/// Applies the migrations a database has not seen yet, each in its own transaction.
struct Migrator {
    let database: any SQLDatabase

    /// Applies pending migrations and returns the versions applied.
    func migrate() async throws -> [Int] {
        try await database.query(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
        )
        var applied: [Int] = []
        let dialect = database.dialect
        for migration in Migrations.all {
            let didApply = try await database.transaction { executor in
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
}
