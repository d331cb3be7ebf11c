import ChatModel
import Foundation

/// Customers who come and go: held replies, the transcript replayed when they return, and operator messages.
extension SQLStore {
    /// `next_attempt_at` of a held row: never due until released.
    static let heldUntilReleased = Int64.max

    public func hold(_ item: OutboxItem, reason: String, at date: Date) async throws {
        try await database.query(
            """
            UPDATE outbox SET next_attempt_at = \(Self.heldUntilReleased), last_error = \(reason),
                   lease_until = NULL, claimed_by = NULL, sending_at = NULL, updated_at = \(date.milliseconds)
            WHERE id = \(item.id) AND state = 'pending'
            """)
    }

    public func releaseHeld(
        _ conversation: ConversationKey, expiringBefore: Date?, claimant: String, lease: Duration, at date: Date
    ) async throws -> Int {
        let now = date.milliseconds
        let until = now + lease.milliseconds
        return try await database.transaction { db in
            guard let conversationID = try await db.query(
                """
                SELECT id FROM conversations WHERE channel = \(conversation.channel.rawValue)
                  AND account_id = \(conversation.accountID) AND user_id = \(conversation.userID)
                """
            ).first?.int("id") else { return 0 }
            if let expiringBefore {
                let reason = "expired: the customer did not come back in time"
                let expired = try await db.query(
                    """
                    UPDATE outbox SET state = \(OutboxState.suppressed.rawValue), last_error = \(reason), updated_at = \(now)
                    WHERE state = 'pending' AND next_attempt_at = \(Self.heldUntilReleased)
                      AND updated_at < \(expiringBefore.milliseconds) AND conversation_id = \(conversationID)
                    RETURNING message_id
                    """)
                for row in expired {
                    try await db.query(
                        "UPDATE messages SET status = \(MessageStatus.suppressed.rawValue), error = \(reason), updated_at = \(now) WHERE id = \(try row.requireInt("message_id"))")
                }
            }
            return try await db.query(
                """
                UPDATE outbox SET next_attempt_at = \(now), last_error = NULL, lease_until = \(until), claimed_by = \(claimant),
                       updated_at = \(now)
                WHERE state = 'pending' AND next_attempt_at = \(Self.heldUntilReleased) AND conversation_id = \(conversationID)
                RETURNING id
                """
            ).count
        }
    }

    public func transcript(_ conversation: ConversationKey, limit: Int) async throws -> [TranscriptEntry] {
        let rows = try await database.query(
            """
            SELECT m.direction, m.platform_message_id, m.kind, m.text, m.body, m.created_at, m.sent_at
            FROM messages m JOIN conversations c ON c.id = m.conversation_id
            WHERE c.channel = \(conversation.channel.rawValue) AND c.account_id = \(conversation.accountID)
              AND c.user_id = \(conversation.userID)
              AND ((m.direction = 'in' AND m.text IS NOT NULL)
                   OR (m.direction = 'out' AND m.status IN ('sent', 'delivered', 'read')))
            ORDER BY m.id DESC
            LIMIT \(limit)
            """)
        return try rows.reversed().map(Self.transcriptEntry)
    }

    public func sentMessage(_ id: MessageID) async throws -> TranscriptEntry? {
        try await database.query(
            """
            SELECT direction, platform_message_id, kind, text, body, created_at, sent_at FROM messages
            WHERE id = \(id) AND direction = 'out' AND status IN ('sent', 'delivered', 'read')
            """
        ).first.map(Self.transcriptEntry)
    }

    public func sentReplies(to platformMessageID: String, channel: Channel) async throws -> [TranscriptEntry] {
        let rows = try await database.query(
            """
            SELECT m.direction, m.platform_message_id, m.kind, m.text, m.body, m.created_at, m.sent_at
            FROM messages i JOIN messages m ON m.conversation_id = i.conversation_id AND m.in_reply_to = i.id
            WHERE i.channel = \(channel.rawValue) AND i.platform_message_id = \(platformMessageID)
              AND m.status IN ('sent', 'delivered', 'read')
            ORDER BY m.id
            """)
        return try rows.map(Self.transcriptEntry)
    }

    public func conversationKey(id: ConversationID) async throws -> ConversationKey? {
        let rows = try await database.query("SELECT channel, account_id, user_id FROM conversations WHERE id = \(id)")
        guard let row = rows.first else { return nil }
        let channel = Channel(rawValue: try row.requireString("channel"))
        return ConversationKey(channel: channel, accountID: try row.requireString("account_id"), userID: try row.requireString("user_id"))
    }

    public func enqueue(_ outbound: [OutboundDraft], conversationID: ConversationID, key: ConversationKey, at date: Date) async throws {
        let now = date.milliseconds
        try await database.transaction { db in
            for draft in outbound {
                try await Self.insertOutbound(draft, conversationID: conversationID, key: key, inReplyTo: nil, db: db, now: now)
            }
            // An operator writing keeps a human-mode conversation with the operator.
            try await db.query(
                "UPDATE conversations SET human_active_at = \(now) WHERE id = \(conversationID) AND mode = 'human'")
        }
    }

    private static func transcriptEntry(_ row: SQLRow) throws -> TranscriptEntry {
        TranscriptEntry(
            direction: try row.requireString("direction") == "in" ? .inbound : .outbound,
            platformMessageID: row.string("platform_message_id"),
            kind: try row.requireString("kind"),
            text: row.string("text"),
            body: try row.requireString("body"),
            timestamp: Date(milliseconds: try row.int("sent_at") ?? row.requireInt("created_at")))
    }
}
