import Foundation

extension SQLStore {
    public func audit(_ action: AuditAction, by actor: String, conversationID: ConversationID?, detail: String?, at date: Date) async throws {
        try await database.query(
            """
            INSERT INTO audit_log (actor, action, conversation_id, detail, at)
            VALUES (\(actor), \(action.rawValue), \(conversationID), \(detail), \(date.milliseconds))
            """)
    }

    public func auditLog(before cursor: Int64?, limit: Int) async throws -> Page<AuditRecord> {
        let rows = try await database.query(
            """
            SELECT id, actor, action, conversation_id, detail, at FROM audit_log
            WHERE (CAST(\(cursor) AS BIGINT) IS NULL OR id < \(cursor))
            ORDER BY id DESC LIMIT \(limit + 1)
            """)
        return try Page(rows: rows, limit: limit, cursor: \AuditRecord.id) { row in
            AuditRecord(
                id: try row.requireID("id"), actor: try row.requireString("actor"), action: try row.requireEnum("action"),
                conversationID: row.int("conversation_id").map { ConversationID($0) }, detail: row.string("detail"),
                at: Date(milliseconds: try row.requireInt("at")))
        }
    }
}
