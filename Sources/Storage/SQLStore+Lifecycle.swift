import ChatModel
import Foundation

/// Idle widget conversations: a nudge after a silence, and closing after a longer one.
extension SQLStore {
    public func silentConversations(_ channel: Channel, account: String, users: [String], answeredBefore date: Date) async throws
        -> [SilentConversation]
    {
        guard !users.isEmpty else { return [] }
        var found: [SilentConversation] = []
        for start in stride(from: 0, to: users.count, by: 500) {
            let chunk = Array(users[start..<min(start + 500, users.count)])
            // The conversation's latest message is our answer (not a nudge), older than `date`, to a customer who wrote.
            let rows = try await database.query(
                """
                SELECT c.id, c.user_id, c.locale, m.id AS last_id FROM conversations c
                JOIN messages m ON m.id = (SELECT MAX(l.id) FROM messages l WHERE l.conversation_id = c.id)
                WHERE c.channel = \(channel.rawValue) AND c.account_id = \(account) AND c.user_id IN (\(list: chunk))
                  AND m.direction = 'out' AND m.kind <> \(SilentConversation.nudgeKind) AND m.created_at < \(date.milliseconds)
                  AND EXISTS (SELECT 1 FROM messages i WHERE i.conversation_id = c.id AND i.direction = 'in')
                """)
            found += try rows.map { row in
                SilentConversation(
                    conversationID: try row.requireID("id"),
                    key: ConversationKey(channel: channel, accountID: account, userID: try row.requireString("user_id")),
                    locale: row.string("locale").flatMap(Language.init(rawValue:)), lastMessageID: try row.requireID("last_id"))
            }
        }
        return found
    }

    public func enqueueOnce(_ draft: OutboundDraft, conversationID: ConversationID, key: ConversationKey, at date: Date) async throws -> Bool {
        try await database.transaction { db in
            guard try await db.query("SELECT id FROM outbox WHERE idempotency_key = \(draft.idempotencyKey)").isEmpty else { return false }
            try await Self.insertOutbound(draft, conversationID: conversationID, key: key, inReplyTo: nil, db: db, now: date.milliseconds)
            return true
        }
    }

    public func closeIdleConversations(_ channel: Channel, idleSince date: Date, limit: Int, at now: Date) async throws -> Int {
        // Not one a gateway is handling, nor one with events waiting; the key is freed for the session's next conversation.
        try await database.query(
            """
            UPDATE conversations SET closed_at = \(now.milliseconds), user_id = user_id || '#' || CAST(id AS TEXT)
            WHERE id IN (
                SELECT c.id FROM conversations c
                WHERE c.channel = \(channel.rawValue) AND c.closed_at IS NULL AND c.updated_at < \(date.milliseconds)
                  AND (c.runner_lease_until IS NULL OR c.runner_lease_until <= \(now.milliseconds))
                  AND NOT EXISTS (SELECT 1 FROM messages r WHERE r.conversation_id = c.id AND r.status = 'received')
                ORDER BY c.id LIMIT \(limit))
            RETURNING id
            """
        ).count
    }

    public func resumesClosedConversation(_ conversationID: ConversationID) async throws -> Bool {
        try await !database.query(
            """
            SELECT o.id FROM conversations c JOIN conversations o ON o.participant_id = c.participant_id AND o.id <> c.id
            WHERE c.id = \(conversationID) AND o.closed_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'out')
            LIMIT 1
            """
        ).isEmpty
    }
}
