import ChatModel
import Foundation

/// What single channels need kept: SMS opt-outs, the short links of SMS replies, and email threads.
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

    public func emailThread(referencing messageIDs: [String]) async throws -> String? {
        guard !messageIDs.isEmpty else { return nil }
        let rows = try await database.query(
            "SELECT thread_id, message_id FROM email_threads WHERE message_id IN (\(list: messageIDs))")
        // The earliest reference known wins, as a thread's root comes first in `References`.
        let known = Dictionary(rows.compactMap { row in row.string("message_id").map { ($0, row.string("thread_id")) } }, uniquingKeysWith: { a, _ in a })
        return messageIDs.lazy.compactMap { known[$0] ?? nil }.first
    }

    public func recordEmailThread(messageIDs: [String], thread: String, at date: Date) async throws {
        guard !messageIDs.isEmpty else { return }
        try await database.transaction { db in
            for id in messageIDs {
                try await db.query(
                    """
                    INSERT INTO email_threads (message_id, thread_id, created_at) VALUES (\(id), \(thread), \(date.milliseconds))
                    ON CONFLICT (message_id) DO NOTHING
                    """)
            }
        }
    }
}
