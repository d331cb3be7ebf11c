import Foundation

extension SQLStore {
    public func applyRetention(_ policy: RetentionPolicy, now date: Date) async throws -> RetentionOutcome {
        var outcome = RetentionOutcome()
        let now = date.milliseconds
        let batch = max(1, policy.batchSize)
        if let period = policy.conversations {
            // A conversation a gateway is handling right now waits for the next round.
            outcome.conversations = try await deleteInBatches(batch) { db in
                try await db.query(
                    """
                    SELECT id FROM conversations
                    WHERE updated_at < \(now - period.milliseconds) AND (runner_lease_until IS NULL OR runner_lease_until <= \(now))
                    ORDER BY id LIMIT \(batch)
                    """)
            }
        }
        if let period = policy.silentWidgetSessions {
            outcome.silentWidgetSessions = try await deleteInBatches(batch) { db in
                try await db.query(
                    """
                    SELECT c.id FROM conversations c
                    WHERE c.channel = 'widget' AND c.updated_at < \(now - period.milliseconds)
                      AND (c.runner_lease_until IS NULL OR c.runner_lease_until <= \(now))
                      AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.direction = 'in'
                                      AND m.kind IN ('text', 'quick_reply', 'postback', 'attachments', 'location'))
                    ORDER BY c.id LIMIT \(batch)
                    """)
            }
        }
        if let period = policy.deliveredPayloads {
            while true {
                let deleted = try await database.query(
                    """
                    DELETE FROM outbox WHERE id IN (
                        SELECT id FROM outbox WHERE state IN ('sent', 'suppressed') AND updated_at < \(now - period.milliseconds)
                        ORDER BY id LIMIT \(batch))
                    RETURNING id
                    """
                ).count
                outcome.deliveredPayloads += deleted
                if deleted < batch { break }
            }
        }
        if let period = policy.conversations {
            // What the shop reported is kept as long as conversations are.
            outcome.shopEvents = try await database.query(
                "DELETE FROM shop_events WHERE received_at < \(now - period.milliseconds) RETURNING id").count
            try await database.query("DELETE FROM proactive_messages WHERE created_at < \(now - period.milliseconds)")
        }
        if outcome.conversations + outcome.silentWidgetSessions > 0 {
            (outcome.participants, outcome.customers) = try await deleteOrphans()
        }
        return outcome
    }

    /// Deletes, a batch per transaction, the conversations `select` finds, until it finds none; returns how many.
    private func deleteInBatches(_ batch: Int, select: @escaping @Sendable (any SQLExecutor) async throws -> [SQLRow]) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await database.transaction { db in
                let ids = try await select(db).map { try $0.requireInt("id") }
                _ = try await Self.deleteConversations(ids, db: db)
                return ids.count
            }
            total += deleted
            if deleted < batch { return total }
        }
    }

    /// Participants with no conversation left, unless an opt-out or a consent must be kept (they are proof), and
    /// customers with no participant left.
    private func deleteOrphans() async throws -> (participants: Int, customers: Int) {
        try await database.transaction { db in
            let orphans = try await db.query(
                """
                SELECT p.id FROM participants p
                WHERE p.opted_out_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.participant_id = p.id)
                  AND NOT EXISTS (SELECT 1 FROM consents k WHERE k.participant_id = p.id AND k.granted <> 0)
                """
            ).map { String(try $0.requireInt("id")) }
            if !orphans.isEmpty {
                let list = orphans.joined(separator: ", ")
                try await db.query("DELETE FROM consents WHERE participant_id IN (\(unsafeRaw: list))")
                try await db.query("DELETE FROM participants WHERE id IN (\(unsafeRaw: list))")
            }
            let orphaned = "NOT EXISTS (SELECT 1 FROM participants p WHERE p.customer_id = customers.id)"
            for table in PersonalData.customerRows {
                try await db.query("DELETE FROM \(unsafeRaw: table) WHERE customer_id IN (SELECT id FROM customers WHERE \(unsafeRaw: orphaned))")
            }
            let customers = try await db.query("DELETE FROM customers WHERE \(unsafeRaw: orphaned) RETURNING id")
            return (orphans.count, customers.count)
        }
    }
}
