import ChatModel
import Foundation

/// Campaigns: stored with the job that sends them, their audience read a batch of customers at a time, their
/// counts from each customer's decision and the messages it sent.
extension SQLStore {
    public func createCampaign(
        name: String, audience: CampaignAudience, message: CampaignMessage, sendAt: Date, createdBy: String, job: @escaping @Sendable (CampaignID) -> JobDraft,
        at date: Date
    ) async throws -> CampaignRecord {
        let now = date.milliseconds
        let audienceJSON = String(decoding: try Self.encoder.encode(audience), as: UTF8.self)
        let messageJSON = String(decoding: try Self.encoder.encode(message), as: UTF8.self)
        return try await database.transaction { db in
            let id: CampaignID = try await db.query(
                """
                INSERT INTO campaigns (name, audience, message, send_at, state, cursor, created_by, created_at, updated_at)
                VALUES (\(name), \(audienceJSON), \(messageJSON), \(sendAt.milliseconds), \(CampaignState.scheduled.rawValue), 0,
                        \(createdBy), \(now), \(now))
                RETURNING id
                """
            )[0].requireID("id")
            try await Self.insertJobs([job(id)], db: db, now: now)
            return CampaignRecord(
                id: id, name: name, audience: audience, message: message, sendAt: sendAt, state: .scheduled, cursor: 0, createdBy: createdBy,
                createdAt: date, updatedAt: date)
        }
    }

    public func campaign(_ id: CampaignID) async throws -> CampaignRecord? {
        try await database.query("SELECT * FROM campaigns WHERE id = \(id)").first.map(Self.campaign)
    }

    public func campaigns(before cursor: Int64?, limit: Int) async throws -> Page<CampaignRecord> {
        let rows = try await database.query(
            """
            SELECT * FROM campaigns WHERE (CAST(\(cursor) AS BIGINT) IS NULL OR id < \(cursor))
            ORDER BY id DESC LIMIT \(limit + 1)
            """)
        let items = try rows.prefix(limit).map(Self.campaign)
        return Page(items: items, nextCursor: rows.count > limit ? items.last.map { String($0.id.rawValue) } : nil)
    }

    public func cancelCampaign(_ id: CampaignID, at date: Date) async throws -> Int? {
        let now = date.milliseconds
        let keys = "proactive:campaign:\(id.rawValue):%"
        return try await database.transaction { db in
            guard
                try await !db.query(
                    """
                    UPDATE campaigns SET state = \(CampaignState.cancelled.rawValue), updated_at = \(now)
                    WHERE id = \(id) AND state IN ('scheduled', 'sending')
                    RETURNING id
                    """
                ).isEmpty
            else {
                return try await db.query("SELECT id FROM campaigns WHERE id = \(id)").isEmpty ? nil : 0
            }
            // What is stored but not yet sent (or being sent: that send's outcome is still recorded) is withdrawn.
            let withdrawn = try await db.query(
                """
                UPDATE outbox SET state = 'suppressed', last_error = 'campaign cancelled', updated_at = \(now)
                WHERE idempotency_key LIKE \(keys) AND state = 'pending' AND (lease_until IS NULL OR lease_until <= \(now))
                RETURNING message_id
                """
            ).map { try $0.requireInt("message_id") }
            if !withdrawn.isEmpty {
                try await db.query(
                    """
                    UPDATE messages SET status = 'suppressed', error = 'campaign cancelled', updated_at = \(now)
                    WHERE id IN (\(unsafeRaw: withdrawn.map(String.init).joined(separator: ", ")))
                    """)
            }
            return withdrawn.count
        }
    }

    public func advanceCampaign(_ id: CampaignID, cursor: Int64, state: CampaignState, at date: Date) async throws {
        // A cancelled campaign stays cancelled.
        try await database.query(
            """
            UPDATE campaigns SET cursor = \(cursor), state = \(state.rawValue), updated_at = \(date.milliseconds)
            WHERE id = \(id) AND state <> 'cancelled'
            """)
    }

    public func campaignAudience(_ audience: CampaignAudience, after cursor: Int64, limit: Int) async throws -> [CustomerID] {
        var statement: SQLStatement = "SELECT c.id FROM customers c WHERE c.id > \(cursor)"
        if let channels = audience.channels, !channels.isEmpty {
            statement.append(" AND EXISTS (SELECT 1 FROM participants p WHERE p.customer_id = c.id AND p.channel IN (\(list: channels)))")
        }
        let lastActive = """
            (SELECT MAX(v.last_inbound_at) FROM conversations v JOIN participants p ON p.id = v.participant_id WHERE p.customer_id = c.id)
            """
        if let after = audience.activeAfter { statement.append(" AND \(unsafeRaw: lastActive) >= \(after.milliseconds)") }
        if let before = audience.activeBefore { statement.append(" AND \(unsafeRaw: lastActive) < \(before.milliseconds)") }
        if let language = audience.language {
            // The language of the conversation they wrote in last (Hungarian when none was detected).
            statement.append(
                """
                 AND COALESCE((SELECT v.locale FROM conversations v JOIN participants p ON p.id = v.participant_id
                               WHERE p.customer_id = c.id ORDER BY v.last_inbound_at DESC, v.id DESC LIMIT 1), 'hu') = \(language)
                """)
        }
        statement.append(" ORDER BY c.id LIMIT \(limit)")
        return try await database.query(statement).map { try $0.requireID("id") }
    }

    public func shopEvents(customerID: CustomerID) async throws -> [StoredShopEvent] {
        try await database.query("SELECT * FROM shop_events WHERE customer_id = \(customerID) ORDER BY received_at, id").map(Self.shopEvent)
    }

    public func campaignCounts(_ id: CampaignID) async throws -> CampaignCounts {
        let rows = try await database.query(
            """
            SELECT d.outcome, m.status, COALESCE(l.clicks, 0) AS clicks,
                   CASE WHEN EXISTS (
                       SELECT 1 FROM participants p WHERE p.customer_id = d.customer_id AND (
                           p.opted_out_at >= d.created_at
                           OR EXISTS (SELECT 1 FROM consents k WHERE k.participant_id = p.id AND k.granted = 0 AND k.updated_at >= d.created_at)))
                   THEN 1 ELSE 0 END AS unsubscribed
            FROM proactive_messages d
            LEFT JOIN messages m ON m.id = d.message_id
            LEFT JOIN short_links l ON l.code = d.link_code
            WHERE d.campaign_id = \(id)
            """)
        var counts = CampaignCounts()
        for row in rows {
            counts.targeted += 1
            let outcome = try row.requireString("outcome")
            if outcome.hasPrefix("skipped:") {
                counts.skipped[String(outcome.dropFirst("skipped:".count)), default: 0] += 1
                continue
            }
            switch row.string("status").flatMap(DeliveryStatus.init(rawValue:)) {
            case .sent?: counts.sent += 1
            case .delivered?: counts.sent += 1; counts.delivered += 1
            case .read?: counts.sent += 1; counts.delivered += 1; counts.read += 1
            case .failed?, .suppressed?: counts.failed += 1
            case .pending?, nil: counts.queued += 1
            }
            if row.int("clicks") ?? 0 > 0 { counts.clicked += 1 }
            if row.int("unsubscribed") == 1 { counts.unsubscribed += 1 }
        }
        return counts
    }

    public func followLink(code: String) async throws -> String? {
        try await database.query("UPDATE short_links SET clicks = clicks + 1 WHERE code = \(code) RETURNING url").first?.string("url")
    }

    private static func campaign(_ row: SQLRow) throws -> CampaignRecord {
        CampaignRecord(
            id: try row.requireID("id"), name: try row.requireString("name"),
            audience: try decoder.decode(CampaignAudience.self, from: Data(try row.requireString("audience").utf8)),
            message: try decoder.decode(CampaignMessage.self, from: Data(try row.requireString("message").utf8)),
            sendAt: Date(milliseconds: try row.requireInt("send_at")),
            state: CampaignState(rawValue: try row.requireString("state")) ?? .done, cursor: try row.requireInt("cursor"),
            createdBy: try row.requireString("created_by"), createdAt: Date(milliseconds: try row.requireInt("created_at")),
            updatedAt: Date(milliseconds: try row.requireInt("updated_at")))
    }
}
