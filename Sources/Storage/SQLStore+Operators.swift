import ChatModel
import Foundation

extension SQLStore {
    public func handoffs(state: HandoffState?, before cursor: Int64?, limit: Int) async throws -> Page<HandoffRecord> {
        let rows = try await database.query(
            """
            SELECT h.id, h.conversation_id, c.channel, c.user_id, p.display_name, h.reason, h.state, h.operator,
                   h.requested_at, h.updated_at
            FROM handoffs h JOIN conversations c ON c.id = h.conversation_id JOIN participants p ON p.id = c.participant_id
            WHERE (CAST(\(state?.rawValue) AS TEXT) IS NULL OR h.state = \(state?.rawValue))
              AND (CAST(\(cursor) AS BIGINT) IS NULL OR h.id < \(cursor))
            ORDER BY h.id DESC
            LIMIT \(limit + 1)
            """)
        return try Page(rows: rows, limit: limit, cursor: \.id) { row in
            HandoffRecord(
                id: try row.requireID("id"),
                conversationID: try row.requireID("conversation_id"),
                channel: try row.requireString("channel"),
                userID: try row.requireString("user_id"),
                displayName: row.string("display_name"),
                reason: try row.requireString("reason"),
                state: try row.requireEnum("state"),
                operatorName: row.string("operator"),
                requestedAt: Date(milliseconds: try row.requireInt("requested_at")),
                updatedAt: Date(milliseconds: try row.requireInt("updated_at")))
        }
    }

    public func takeOver(conversationID: ConversationID, operator name: String?, account: OperatorID?, at date: Date) async throws -> Bool {
        try await database.transaction { db in
            try await Self.takeOver(
                conversationID, operator: name, account: account, reason: "taken over by an operator", db: db, now: date.milliseconds)
        }
    }

    /// Puts a conversation in human mode with `name` as its operator (and `account`, when it is one of the
    /// console's): its open request is taken, or one is recorded as taken; false when there is no such conversation.
    static func takeOver(
        _ conversationID: ConversationID, operator name: String?, account: OperatorID?, reason: String, db: any SQLExecutor, now: Int64
    ) async throws -> Bool {
        let updated = try await db.query(
            """
            UPDATE conversations SET mode = 'human', human_active_at = \(now), updated_at = \(now), operator_id = \(account)
            WHERE id = \(conversationID) RETURNING id
            """)
        guard !updated.isEmpty else { return false }
        let taken = try await db.query(
            """
            UPDATE handoffs SET state = \(HandoffState.taken.rawValue), operator = \(name), updated_at = \(now)
            WHERE conversation_id = \(conversationID) AND state = 'open' RETURNING id
            """)
        // Taking over a conversation another operator answers makes it yours.
        try await db.query(
            """
            UPDATE handoffs SET operator = \(name), updated_at = \(now)
            WHERE conversation_id = \(conversationID) AND state = 'taken' AND CAST(\(name) AS TEXT) IS NOT NULL
            """)
        let active = try await db.query(
            "SELECT id FROM handoffs WHERE conversation_id = \(conversationID) AND state = 'taken'")
        if taken.isEmpty && active.isEmpty {
            try await db.query(
                """
                INSERT INTO handoffs (conversation_id, reason, state, operator, requested_at, updated_at)
                VALUES (\(conversationID), \(reason), 'taken', \(name), \(now), \(now))
                """)
        }
        return true
    }

    public func handBack(conversationID: ConversationID, at date: Date) async throws -> Bool {
        let now = date.milliseconds
        return try await database.transaction { db in
            guard try await !db.query("SELECT id FROM conversations WHERE id = \(conversationID)").isEmpty else { return false }
            try await Self.handBack(conversationID, db: db, now: now)
            return true
        }
    }

    public func consents(conversationID: ConversationID) async throws -> [ConsentRecord]? {
        let conversation = try await database.query("SELECT participant_id FROM conversations WHERE id = \(conversationID)")
        guard let participant = conversation.first?.int("participant_id") else { return nil }
        let rows = try await database.query(
            "SELECT topic, granted, updated_at FROM consents WHERE participant_id = \(participant) ORDER BY topic")
        return try rows.compactMap { row in
            guard let topic = ConsentTopic(rawValue: try row.requireString("topic")) else { return nil }
            return ConsentRecord(
                topic: topic, granted: try row.requireInt("granted") != 0,
                updatedAt: Date(milliseconds: try row.requireInt("updated_at")))
        }
    }
}
