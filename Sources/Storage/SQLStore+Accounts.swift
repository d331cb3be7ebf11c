import Foundation

extension SQLStore {
    public func addOperator(email: String, name: String, role: OperatorRole, passwordHash: String, at date: Date) async throws -> OperatorRecord? {
        let now = date.milliseconds
        let rows = try await database.query(
            """
            INSERT INTO operators (email, name, role, password_hash, created_at, updated_at)
            VALUES (\(email.lowercased()), \(name), \(role.rawValue), \(passwordHash), \(now), \(now))
            ON CONFLICT (email) DO NOTHING
            RETURNING id, email, name, role, disabled_at, created_at
            """)
        return try rows.first.map(Self.operatorRecord)
    }

    public func operators() async throws -> [OperatorRecord] {
        try await database.query("SELECT id, email, name, role, disabled_at, created_at FROM operators ORDER BY email")
            .map(Self.operatorRecord)
    }

    public func disableOperator(email: String, at date: Date) async throws -> Bool {
        let now = date.milliseconds
        let rows = try await database.query(
            """
            UPDATE operators SET disabled_at = COALESCE(disabled_at, \(now)), updated_at = \(now)
            WHERE email = \(email.lowercased())
            RETURNING id
            """)
        return !rows.isEmpty
    }

    public func operatorCredentials(email: String) async throws -> OperatorCredentials? {
        let rows = try await database.query(
            "SELECT id, email, name, role, disabled_at, created_at, password_hash FROM operators WHERE email = \(email.lowercased())")
        return try rows.first.map { row in
            OperatorCredentials(account: try Self.operatorRecord(row), passwordHash: try row.requireString("password_hash"))
        }
    }

    static func operatorRecord(_ row: SQLRow) throws -> OperatorRecord {
        OperatorRecord(
            id: try row.requireID("id"), email: try row.requireString("email"), name: try row.requireString("name"),
            role: try row.requireEnum("role"), disabledAt: row.int("disabled_at").map(Date.init(milliseconds:)),
            createdAt: Date(milliseconds: try row.requireInt("created_at")))
    }
}

extension SQLStore {
    public func startSession(tokenHash: String, operatorID: OperatorID, csrfToken: String, expiresAt: Date, at date: Date) async throws {
        try await database.query(
            """
            INSERT INTO console_sessions (token_hash, operator_id, csrf_token, created_at, expires_at)
            VALUES (\(tokenHash), \(operatorID), \(csrfToken), \(date.milliseconds), \(expiresAt.milliseconds))
            """)
    }

    public func session(tokenHash: String, at date: Date) async throws -> ConsoleSession? {
        let rows = try await database.query(
            """
            SELECT o.id, o.email, o.name, o.role, o.disabled_at, o.created_at, s.csrf_token, s.expires_at
            FROM console_sessions s JOIN operators o ON o.id = s.operator_id
            WHERE s.token_hash = \(tokenHash) AND s.expires_at > \(date.milliseconds) AND o.disabled_at IS NULL
            """)
        return try rows.first.map { row in
            ConsoleSession(
                account: try Self.operatorRecord(row), csrfToken: try row.requireString("csrf_token"),
                expiresAt: Date(milliseconds: try row.requireInt("expires_at")))
        }
    }

    public func endSession(tokenHash: String, at date: Date) async throws {
        try await database.query(
            "DELETE FROM console_sessions WHERE token_hash = \(tokenHash) OR expires_at <= \(date.milliseconds)")
    }
}
