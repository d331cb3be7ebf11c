import ChatModel
import Foundation

/// Messages nobody asked for: where a customer can be reached, how many they were sent, and each decision stored
/// once with the messages it sends.
extension SQLStore {
    public func customerReach(_ id: CustomerID) async throws -> CustomerReach? {
        try await database.transaction { db in
            guard let customer = try await db.query("SELECT display_name FROM customers WHERE id = \(id)").first else { return nil }
            // The latest say on any marketing topic, on any of the customer's channels, stands.
            let consents = try await db.query(
                """
                SELECT topic, granted FROM consents
                WHERE participant_id IN (SELECT id FROM participants WHERE customer_id = \(id)) AND topic IN ('newsletter', 'sms')
                ORDER BY updated_at DESC
                """)
            var latest: [ConsentTopic: Bool] = [:]
            for row in consents {
                guard let topic = row.string("topic").flatMap(ConsentTopic.init(rawValue:)), latest[topic] == nil else { continue }
                latest[topic] = row.int("granted") != 0
            }
            let consent = consents.first?.int("granted") ?? 0
            let rows = try await db.query(
                """
                SELECT p.id, p.channel, p.platform_user_id, p.display_name, p.opted_out_at, c.account_id, c.locale,
                       (SELECT MAX(a.last_inbound_at) FROM conversations a WHERE a.participant_id = p.id) AS last_inbound_at
                FROM participants p
                JOIN conversations c ON c.id = (SELECT MAX(n.id) FROM conversations n WHERE n.participant_id = p.id)
                WHERE p.customer_id = \(id)
                """)
            let participants = try rows.map { row in
                CustomerReach.Participant(
                    participantID: try row.requireID("id"),
                    key: ConversationKey(
                        channel: Channel(rawValue: try row.requireString("channel")), accountID: try row.requireString("account_id"),
                        userID: try row.requireString("platform_user_id")),
                    displayName: row.string("display_name"), locale: row.string("locale").flatMap(Language.init(rawValue:)),
                    lastInboundAt: row.int("last_inbound_at").map(Date.init(milliseconds:)), optedOut: row.int("opted_out_at") != nil)
            }.sorted { ($0.lastInboundAt ?? .distantPast, $0.participantID.rawValue) > ($1.lastInboundAt ?? .distantPast, $1.participantID.rawValue) }
            var reach = CustomerReach(
                customerID: id, displayName: customer.string("display_name"), marketingConsent: consent != 0, participants: participants)
            reach.consents = latest
            return reach
        }
    }

    public func proactiveCount(customerID: CustomerID, purposes: [String], since date: Date) async throws -> Int {
        try await Self.proactiveCount(customerID: customerID, purposes: purposes, since: date, db: database)
    }

    private static func proactiveCount(customerID: CustomerID, purposes: [String], since date: Date, db: any SQLExecutor) async throws -> Int {
        guard !purposes.isEmpty else { return 0 }
        let list = purposes.map { "'\($0.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: ", ")
        return Int(
            try await db.query(
                """
                SELECT COUNT(*) AS n FROM proactive_messages
                WHERE customer_id = \(customerID) AND outcome = 'sent' AND purpose IN (\(unsafeRaw: list)) AND created_at >= \(date.milliseconds)
                """
            ).first?.int("n") ?? 0)
    }

    public func recordProactive(
        _ decision: ProactiveDecision, drafts: [OutboundDraft], to participant: CustomerReach.Participant?, cap: ProactiveCap?, at date: Date
    ) async throws -> ProactiveRecording {
        let now = date.milliseconds
        let dialect = database.dialect
        return try await database.transaction { db in
            var decision = decision
            var drafts = drafts
            var outcome = ProactiveRecording.recorded
            if let cap, let customerID = decision.customerID {
                // Decisions for one customer are taken one at a time, so two at once cannot both fit under the cap
                // (SQLite has one writer already).
                if dialect == .postgres { try await db.query("SELECT id FROM customers WHERE id = \(customerID) FOR UPDATE") }
                if try await Self.proactiveCount(customerID: customerID, purposes: cap.purposes, since: cap.since, db: db) >= cap.maximum {
                    decision.outcome = "skipped:frequency_cap"
                    drafts = []
                    outcome = .overCap
                }
            }
            guard let row = try await db.query(
                """
                INSERT INTO proactive_messages (purpose, reference, customer_id, campaign_id, channel, outcome, link_code, created_at)
                VALUES (\(decision.purpose), \(decision.reference), \(decision.customerID), \(decision.campaignID),
                        \(drafts.isEmpty ? nil : participant?.key.channel.rawValue), \(decision.outcome),
                        \(drafts.isEmpty ? nil : decision.linkCode), \(now))
                ON CONFLICT (purpose, reference) DO NOTHING
                RETURNING id
                """
            ).first else { return .decidedBefore }
            guard let participant, !drafts.isEmpty else { return outcome }
            let conversationID = try await Self.openConversation(for: participant, db: db, now: now)
            var first: Int64?
            for draft in drafts {
                let messageID = try await Self.insertOutbound(draft, conversationID: conversationID, key: participant.key, inReplyTo: nil, db: db, now: now)
                first = first ?? messageID
            }
            try await db.query(
                "UPDATE proactive_messages SET conversation_id = \(conversationID), message_id = \(first) WHERE id = \(try row.requireInt("id"))")
            return outcome
        }
    }

    /// The participant's open conversation; a new one when the last was closed (an idle widget's).
    private static func openConversation(for participant: CustomerReach.Participant, db: any SQLExecutor, now: Int64) async throws -> ConversationID {
        let key = participant.key
        let existing = try await db.query(
            """
            SELECT id FROM conversations
            WHERE channel = \(key.channel.rawValue) AND account_id = \(key.accountID) AND user_id = \(key.userID)
            """)
        if let id = existing.first { return try id.requireID("id") }
        return try await db.query(
            """
            INSERT INTO conversations (participant_id, channel, account_id, user_id, mode, locale, last_inbound_at, created_at, updated_at)
            VALUES (\(participant.participantID), \(key.channel.rawValue), \(key.accountID), \(key.userID), 'bot',
                    \(participant.locale?.rawValue), \(participant.lastInboundAt?.milliseconds), \(now), \(now))
            RETURNING id
            """
        )[0].requireID("id")
    }
}
