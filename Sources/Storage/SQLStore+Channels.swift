import ChatModel
import Foundation

/// What single channels need kept: SMS opt-outs, the short links of SMS replies, consents from unsubscribe links.
extension SQLStore {
    public func setOptedOut(_ participant: ConversationKey, _ optedOut: Bool, at date: Date) async throws {
        try await database.transaction { db in
            try await Self.setOptedOut(participant, optedOut, db: db, now: date.milliseconds)
        }
    }

    public func isOptedOut(_ participant: ConversationKey) async throws -> Bool {
        let rows = try await database.query(
            """
            SELECT opted_out_at FROM participants
            WHERE channel = \(participant.channel.rawValue) AND platform_user_id = \(participant.userID)
            """)
        return rows.first?.int("opted_out_at") != nil
    }

    /// Marks the participant who is `key`'s customer as opted out of its channel, or back in.
    static func setOptedOut(_ key: ConversationKey, _ optedOut: Bool, db: any SQLExecutor, now: Int64) async throws {
        let at: Int64? = optedOut ? now : nil
        try await db.query(
            """
            UPDATE participants SET opted_out_at = \(at)
            WHERE channel = \(key.channel.rawValue) AND platform_user_id = \(key.userID)
            """)
    }

    public func recordLinks(_ links: [String: String], at date: Date) async throws {
        guard !links.isEmpty else { return }
        try await database.transaction { db in
            for (code, url) in links.sorted(by: { $0.key < $1.key }) {
                try await db.query(
                    "INSERT INTO short_links (code, url, created_at) VALUES (\(code), \(url), \(date.milliseconds)) ON CONFLICT (code) DO NOTHING")
            }
        }
    }

    public func link(code: String) async throws -> String? {
        try await database.query("SELECT url FROM short_links WHERE code = \(code)").first?.string("url")
    }

    public func updateChannelState(conversationID: ConversationID, _ update: @escaping @Sendable (ChannelState) -> ChannelState) async throws {
        try await database.transaction { db in
            let rows = try await db.query("SELECT agent_memory, channel_state FROM conversations WHERE id = \(conversationID)")
            guard let row = rows.first else { return }
            let state = update(try Self.channelState(row))
            let encoded = String(decoding: try Self.encoder.encode(state), as: UTF8.self)
            try await db.query("UPDATE conversations SET channel_state = \(encoded) WHERE id = \(conversationID)")
        }
    }

    public func lastInboundEvent(conversationID: ConversationID) async throws -> InboundEvent? {
        let rows = try await database.query(
            "SELECT body FROM messages WHERE conversation_id = \(conversationID) AND direction = 'in' ORDER BY id DESC LIMIT 1")
        return try rows.first.map { try Self.decoder.decode(InboundEvent.self, from: Data(try $0.requireString("body").utf8)) }
    }

    public func setConsent(_ participant: ConversationKey, topic: ConsentTopic, granted: Bool, at date: Date) async throws -> Bool {
        let now = date.milliseconds
        return try await database.transaction { db in
            let rows = try await db.query(
                """
                SELECT id FROM participants WHERE channel = \(participant.channel.rawValue) AND platform_user_id = \(participant.userID)
                """)
            guard let id = rows.first?.int("id") else { return false }
            try await db.query(
                """
                INSERT INTO consents (participant_id, topic, granted, updated_at) VALUES (\(id), \(topic.rawValue), \(granted ? 1 : 0), \(now))
                ON CONFLICT (participant_id, topic) DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at
                """)
            return true
        }
    }
}
