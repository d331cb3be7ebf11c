import ChatModel
import Foundation
import Logging

/// The `Store` on any `SQLDatabase`; SQLite and PostgreSQL share every statement.
public final class SQLStore: Store {
    let database: any SQLDatabase

    /// Opens the store for `sqlite:PATH` or `postgres://…`.
    public static func open(url: String, logger: Logger) async throws -> SQLStore {
        if url.hasPrefix("sqlite:") {
            let path = String(url.dropFirst("sqlite:".count))
            return SQLStore(database: try SQLiteDatabaseEngine(path: path))
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            return SQLStore(database: try PostgresDatabaseEngine(url: url, logger: logger))
        }
        throw StoreError.unsupportedURL(String(url.prefix { $0 != ":" }))
    }

    public init(database: any SQLDatabase) {
        self.database = database
    }

    @discardableResult
    public func migrate() async throws -> [Int] {
        try await Migrator(database: database).migrate()
    }

    public func ping() async throws {
        try await database.query("SELECT 1 AS ok")
    }

    public func run() async {
        await database.run()
    }

    public func close() async throws {
        try await database.close()
    }

    // MARK: Inbox

    /// The operator a conversation is given to when a person answers from the platform's own inbox.
    public static func platformInbox(_ channel: Channel) -> String {
        channel == .whatsapp ? "WhatsApp Business app" : "Page inbox"
    }

    public func accept(_ events: [InboundEvent], receivedAt: Date) async throws -> AcceptOutcome {
        let now = receivedAt.milliseconds
        return try await database.transaction { db in
            var outcome = AcceptOutcome()
            var conversationIDs: [ConversationKey: ConversationID] = [:]
            for event in events {
                switch event.content {
                case .echo:
                    outcome.echoes += 1
                case .humanReply(let text):
                    // A person answered from the platform's own inbox: recorded as our message, and a human has the conversation.
                    outcome.echoes += 1
                    let known = try await db.query(
                        """
                        SELECT id FROM conversations WHERE channel = \(event.channel.rawValue)
                          AND account_id = \(event.conversation.accountID) AND user_id = \(event.conversation.userID)
                        """)
                    guard let row = known.first else { continue }
                    let conversationID: ConversationID = try row.requireID("id")
                    let inserted = try await db.query(
                        """
                        INSERT INTO messages (conversation_id, direction, channel, platform_message_id, kind, text, body, status,
                                              sent_at, created_at, updated_at)
                        VALUES (\(conversationID), 'out', \(event.channel.rawValue), \(event.platformID), 'human_reply', \(text), '{}',
                                \(MessageStatus.sent.rawValue), \(now), \(now), \(now))
                        ON CONFLICT (channel, platform_message_id) DO NOTHING
                        RETURNING id
                        """)
                    if !inserted.isEmpty {
                        outcome.conversationsTakenOver.insert(conversationID)
                        _ = try await Self.takeOver(
                            conversationID, operator: Self.platformInbox(event.channel), account: nil, reason: "answered from the platform's inbox", db: db, now: now)
                    }
                case .receipt(let receipt):
                    if let key = receipt.outboxKey,
                        try await Self.confirmSent(key: key, platformMessageID: receipt.messageIDs.first, db: db, now: now)
                    {
                        outcome.confirmations += 1
                    }
                    if receipt.recipientOptedOut {
                        try await Self.setOptedOut(event.conversation, true, db: db, now: now)
                    }
                    if try await Self.apply(receipt, for: event.conversation, db: db, now: now) {
                        outcome.receipts += 1
                    } else {
                        outcome.unknownReceipts += 1
                    }
                default:
                    let conversationID: ConversationID
                    if let known = conversationIDs[event.conversation] {
                        conversationID = known
                        try await Self.touch(conversationID, inboundAt: event.timestamp.milliseconds, db: db, now: now)
                    } else {
                        conversationID = try await Self.upsertConversation(for: event, db: db, now: now)
                        conversationIDs[event.conversation] = conversationID
                    }
                    let conversational = event.content.isConversational
                    let body = try String(decoding: Self.encoder.encode(event), as: UTF8.self)
                    let inserted = try await db.query(
                        """
                        INSERT INTO messages (conversation_id, direction, channel, platform_message_id, kind, text, body,
                                              status, platform_timestamp, created_at, updated_at)
                        VALUES (\(conversationID), 'in', \(event.channel.rawValue), \(event.platformID),
                                \(event.content.kindName), \(event.content.text), \(body),
                                \(conversational ? "received" : "processed"), \(event.timestamp.milliseconds), \(now), \(now))
                        ON CONFLICT (channel, platform_message_id) DO NOTHING
                        RETURNING id
                        """)
                    if inserted.isEmpty {
                        outcome.duplicates += 1
                    } else {
                        outcome.stored += 1
                        if conversational { outcome.conversationsToRun.insert(conversationID) }
                    }
                }
            }
            return outcome
        }
    }

    private static func upsertConversation(for event: InboundEvent, db: any SQLExecutor, now: Int64) async throws -> ConversationID {
        let key = event.conversation
        let participant = try await db.query(
            """
            INSERT INTO participants (channel, platform_user_id, display_name, created_at)
            VALUES (\(key.channel.rawValue), \(key.userID), \(event.senderName), \(now))
            ON CONFLICT (channel, platform_user_id)
            DO UPDATE SET display_name = COALESCE(excluded.display_name, participants.display_name)
            RETURNING id, customer_id
            """)
        let participantID = try participant[0].requireInt("id")
        if participant[0].int("customer_id") == nil {
            try await Self.attachCustomer(participantID, key: key, name: event.senderName, db: db, now: now)
        }
        if let shopCustomerID = event.shopCustomerID {
            try await Self.linkShopCustomer(participantID, shopCustomerID: shopCustomerID, db: db, now: now)
        }
        let inboundAt = event.timestamp.milliseconds
        let conversation = try await db.query(
            """
            INSERT INTO conversations (participant_id, channel, account_id, user_id, mode, last_inbound_at, created_at, updated_at)
            VALUES (\(participantID), \(key.channel.rawValue), \(key.accountID), \(key.userID), 'bot', \(inboundAt), \(now), \(now))
            ON CONFLICT (channel, account_id, user_id)
            DO UPDATE SET updated_at = excluded.updated_at,
                last_inbound_at = CASE
                    WHEN conversations.last_inbound_at IS NULL OR excluded.last_inbound_at > conversations.last_inbound_at
                    THEN excluded.last_inbound_at ELSE conversations.last_inbound_at END
            RETURNING id
            """)
        return try conversation[0].requireID("id")
    }

    private static func touch(_ conversationID: ConversationID, inboundAt: Int64, db: any SQLExecutor, now: Int64) async throws {
        try await db.query(
            """
            UPDATE conversations SET updated_at = \(now),
                last_inbound_at = CASE WHEN last_inbound_at IS NULL OR last_inbound_at < \(inboundAt)
                                  THEN \(inboundAt) ELSE last_inbound_at END
            WHERE id = \(conversationID)
            """)
    }

    /// Moves outbound messages forward to the receipt's status, never backward (a failure's error is kept);
    /// false when the receipt names messages this store never sent.
    private static func apply(_ receipt: Receipt, for key: ConversationKey, db: any SQLExecutor, now: Int64) async throws -> Bool {
        let earlier = [DeliveryStatus.sent, .delivered].filter { $0.rank < receipt.status.rank }.map(\.rawValue)
        if !receipt.messageIDs.isEmpty {
            if !earlier.isEmpty {
                try await db.query(
                    """
                    UPDATE messages SET status = \(receipt.status.rawValue), error = COALESCE(\(receipt.error), error), updated_at = \(now)
                    WHERE channel = \(key.channel.rawValue) AND direction = 'out'
                      AND platform_message_id IN (\(list: receipt.messageIDs)) AND status IN (\(list: earlier))
                    """)
            }
            let known = try await db.query(
                """
                SELECT id FROM messages
                WHERE channel = \(key.channel.rawValue) AND direction = 'out' AND platform_message_id IN (\(list: receipt.messageIDs))
                LIMIT 1
                """)
            if known.isEmpty { return false }
        }
        if let watermark = receipt.watermark, !earlier.isEmpty {
            try await db.query(
                """
                UPDATE messages SET status = \(receipt.status.rawValue), updated_at = \(now)
                WHERE direction = 'out' AND sent_at <= \(watermark.milliseconds) AND status IN (\(list: earlier))
                  AND conversation_id = (SELECT id FROM conversations
                                         WHERE channel = \(key.channel.rawValue) AND account_id = \(key.accountID)
                                           AND user_id = \(key.userID))
                """)
        }
        return true
    }

    /// One index probe per conversation (a loose index scan of `messages_unprocessed`), however many
    /// events each one has waiting.
    public func conversationsWithPendingEvents() async throws -> [ConversationID] {
        try await database.query(
            """
            WITH RECURSIVE c(id) AS (
                SELECT MIN(conversation_id) FROM messages WHERE status = 'received'
                UNION ALL
                SELECT (SELECT MIN(conversation_id) FROM messages WHERE status = 'received' AND conversation_id > c.id)
                FROM c WHERE c.id IS NOT NULL
            )
            SELECT id AS conversation_id FROM c WHERE id IS NOT NULL
            """
        ).map { try $0.requireID("conversation_id") }
    }

    public func pendingEvents(conversationID: ConversationID, limit: Int) async throws -> [PendingInbound] {
        let rows = try await database.query(
            """
            SELECT id, body FROM messages
            WHERE conversation_id = \(conversationID) AND status = 'received'
            ORDER BY id LIMIT \(limit)
            """)
        var events: [PendingInbound] = []
        for row in rows {
            let id: MessageID = try row.requireID("id")
            guard let event = try? Self.decoder.decode(InboundEvent.self, from: Data(row.requireString("body").utf8)) else {
                if events.isEmpty { throw StoreError.undecodableEvent(messageID: id) }
                break
            }
            events.append(PendingInbound(messageID: id, conversationID: conversationID, event: event))
        }
        return events
    }

    public func recordEventFailure(messageID: MessageID, error: String, maxAttempts: Int, at date: Date) async throws -> Bool {
        let rows = try await database.query(
            """
            UPDATE messages
            SET attempts = attempts + 1, error = \(error), updated_at = \(date.milliseconds),
                status = CASE WHEN attempts + 1 >= \(maxAttempts) THEN 'parked' ELSE status END
            WHERE id = \(messageID) AND status = 'received'
            RETURNING status
            """)
        return rows.first?.string("status") == "parked"
    }

    public func parkedEvents(before cursor: Int64?, limit: Int) async throws -> Page<ParkedEventRecord> {
        let rows = try await database.query(
            """
            SELECT id, conversation_id, channel, attempts, error, updated_at
            FROM messages
            WHERE status = 'parked' AND (CAST(\(cursor) AS BIGINT) IS NULL OR id < \(cursor))
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """)
        return try Page(rows: rows, limit: limit, cursor: \.messageID) { row in
            ParkedEventRecord(
                messageID: try row.requireID("id"),
                conversationID: try row.requireID("conversation_id"),
                channel: try row.requireString("channel"),
                attempts: Int(try row.requireInt("attempts")),
                error: row.string("error"),
                updatedAt: Date(milliseconds: try row.requireInt("updated_at")))
        }
    }

    public func conversationState(for pending: PendingInbound, historyLimit: Int) async throws -> ConversationState {
        let rows = try await database.query(
            """
            SELECT mode, locale, agent_memory, channel_state, human_active_at, participant_id FROM conversations
            WHERE id = \(pending.conversationID)
            """)
        guard let conversation = rows.first else { throw StoreError.notFound }
        let consentRows = try await database.query(
            "SELECT topic, granted FROM consents WHERE participant_id = \(try conversation.requireInt("participant_id"))")
        var consents: [ConsentTopic: Bool] = [:]
        for row in consentRows {
            if let topic = ConsentTopic(rawValue: try row.requireString("topic")) { consents[topic] = try row.requireInt("granted") != 0 }
        }
        var memory = try conversation.string("agent_memory").map { try Self.decoder.decode(ConversationMemory.self, from: Data($0.utf8)) }
            ?? ConversationMemory()
        // What the customer proved in their other conversations (an order verified on another channel) is known here too.
        let linked = try await Self.linkedVerifications(of: pending.conversationID, db: database)
        for order in linked.orders where !memory.verifiedOrders.contains(order) { memory.verifiedOrders.append(order) }
        if memory.verification == nil { memory.verification = linked.contact }
        let channelState = try Self.channelState(conversation)
        let history = try await database.query(
            """
            SELECT direction, text, created_at FROM messages
            WHERE conversation_id = \(pending.conversationID) AND text IS NOT NULL
              AND COALESCE(in_reply_to, id) < \(pending.messageID)
            ORDER BY COALESCE(in_reply_to, id) DESC, id DESC
            LIMIT \(historyLimit)
            """)
        return ConversationState(
            key: pending.event.conversation,
            mode: ConversationMode(rawValue: try conversation.requireString("mode")) ?? .bot,
            locale: conversation.string("locale").flatMap(Language.init(rawValue:)),
            history: try history.reversed().map { row in
                HistoryEntry(
                    direction: try row.requireString("direction") == "in" ? .inbound : .outbound,
                    text: row.string("text"),
                    timestamp: Date(milliseconds: try row.requireInt("created_at")))
            },
            event: pending.event,
            memory: memory,
            consents: consents,
            operatorActiveAt: conversation.int("human_active_at").map(Date.init(milliseconds:)),
            channelState: channelState)
    }

    /// The conversation row's channel state; before migration 8, the numbered choices were kept in the agents' memory.
    static func channelState(_ conversation: SQLRow) throws -> ChannelState {
        if let stored = conversation.string("channel_state") {
            return try decoder.decode(ChannelState.self, from: Data(stored.utf8))
        }
        struct Legacy: Decodable { var choices: [QuickReply]? }
        let legacy = try conversation.string("agent_memory").map { try decoder.decode(Legacy.self, from: Data($0.utf8)) }
        return ChannelState(choices: legacy?.choices ?? [])
    }

    public func complete(
        _ pending: PendingInbound, locale: Language?, outbound: [OutboundDraft], effects: TurnEffects, failure: String?,
        at date: Date
    ) async throws {
        let memory = try effects.memory.map { String(decoding: try Self.encoder.encode($0), as: UTF8.self) }
        let channelState = try effects.channelState.map { String(decoding: try Self.encoder.encode($0), as: UTF8.self) }
        let now = date.milliseconds
        let key = pending.event.conversation
        try await database.transaction { db in
            let claimed = try await db.query(
                """
                UPDATE messages SET status = \((failure == nil ? MessageStatus.processed : .failed).rawValue), error = \(failure), updated_at = \(now)
                WHERE id = \(pending.messageID) AND status = 'received'
                RETURNING id
                """)
            // Another runner already handled it; its replies are in the outbox.
            guard !claimed.isEmpty else { return }
            if locale != nil || memory != nil || channelState != nil {
                // One statement for what the turn changed of the conversation (a round trip each on PostgreSQL).
                try await db.query(
                    """
                    UPDATE conversations SET locale = COALESCE(\(locale?.rawValue), locale),
                        agent_memory = COALESCE(\(memory), agent_memory), channel_state = COALESCE(\(channelState), channel_state)
                    WHERE id = \(pending.conversationID)
                    """)
            }
            if let contact = effects.memory?.verification {
                // The customer proved the address or number by verifying an order with it: it links them.
                try await Self.linkVerifiedContact(contact, conversationID: pending.conversationID.rawValue, db: db, now: now)
            }
            if effects.resumeBot {
                try await Self.handBack(pending.conversationID, db: db, now: now)
            }
            if let reason = effects.handoffReason {
                if !effects.botStays {
                    try await db.query(
                        "UPDATE conversations SET mode = 'human', human_active_at = \(now) WHERE id = \(pending.conversationID)")
                }
                try await db.query(
                    """
                    INSERT INTO handoffs (conversation_id, reason, state, requested_at, updated_at)
                    VALUES (\(pending.conversationID), \(reason), 'open', \(now), \(now))
                    """)
            }
            try await Self.insertJobs(effects.jobs, db: db, now: now)
            if let optedOut = effects.optedOut {
                try await Self.setOptedOut(key, optedOut, db: db, now: now)
            }
            for change in effects.consents {
                try await db.query(
                    """
                    INSERT INTO consents (participant_id, topic, granted, updated_at)
                    SELECT participant_id, \(change.topic.rawValue), \(change.granted ? 1 : 0), \(now)
                    FROM conversations WHERE id = \(pending.conversationID)
                    ON CONFLICT (participant_id, topic) DO UPDATE SET granted = excluded.granted, updated_at = excluded.updated_at
                    """)
            }
            for draft in outbound {
                try await Self.insertOutbound(draft, conversationID: pending.conversationID, key: key, inReplyTo: pending.messageID, db: db, now: now)
            }
        }
    }

    /// Back to the bot: human mode ends and the conversation's requests for a human are closed.
    static func handBack(_ conversationID: ConversationID, db: any SQLExecutor, now: Int64) async throws {
        try await db.query(
            "UPDATE conversations SET mode = 'bot', human_active_at = NULL, operator_id = NULL, updated_at = \(now) WHERE id = \(conversationID)")
        try await db.query(
            """
            UPDATE handoffs SET state = \(HandoffState.closed.rawValue), updated_at = \(now)
            WHERE conversation_id = \(conversationID) AND state <> 'closed'
            """)
    }

    /// Stores one outbound message and its outbox row; returns the message's id.
    @discardableResult
    static func insertOutbound(
        _ draft: OutboundDraft, conversationID: ConversationID, key: ConversationKey, inReplyTo: MessageID?, db: any SQLExecutor, now: Int64
    ) async throws -> Int64 {
        let channel = key.channel.rawValue
        let message = try await db.query(
            """
            INSERT INTO messages (conversation_id, direction, channel, in_reply_to, kind, text, body, status,
                                  metadata, created_at, updated_at)
            VALUES (\(conversationID), 'out', \(channel), \(inReplyTo), \(draft.kind), \(draft.text),
                    \(draft.payload), 'pending', \(draft.metadata), \(now), \(now))
            RETURNING id
            """)
        let messageID = try message[0].requireInt("id")
        try await db.query(
            """
            INSERT INTO outbox (message_id, conversation_id, channel, account_id, recipient, payload, idempotency_key,
                                state, attempts, next_attempt_at, consent_topic, created_at, updated_at)
            VALUES (\(messageID), \(conversationID), \(channel), \(key.accountID), \(key.userID),
                    \(draft.payload), \(draft.idempotencyKey), 'pending', 0, \(now), \(draft.consentTopic?.rawValue),
                    \(now), \(now))
            """)
        return messageID
    }

    // MARK: Outbox

    /// Claims up to `limit` due rows, each the head (oldest pending row) of its conversation, oldest due first.
    ///
    /// The heads are looked for among the `4 × limit` rows due first (one index probe each), and only when those
    /// hold too few of them (a conversation's backlog fills that window) in every conversation with pending rows
    /// (a loose index scan of `outbox_heads`, one probe per conversation). The search is a read; the update that
    /// claims only checks the rows it picked again, so on SQLite the writer waits for no search.
    public func claimOutbox(now date: Date, limit: Int, claimant: String, lease: Duration) async throws -> [OutboxItem] {
        let now = date.milliseconds
        let until = now + lease.milliseconds
        let window = limit * 4
        // The rows due first, and whether a row's lease leaves it free for this claimant.
        let due: SQLStatement = """
            SELECT id, conversation_id, lease_until, claimed_by FROM outbox
            WHERE state = 'pending' AND next_attempt_at <= \(now) ORDER BY next_attempt_at LIMIT \(window)
            """
        let free: SQLStatement = "(lease_until IS NULL OR lease_until <= \(now) OR claimed_by = \(claimant))"
        var picked = try await database.query(
            """
            SELECT w.id FROM (\(due)) w
            WHERE \(free)
              AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.conversation_id = w.conversation_id AND p.state = 'pending' AND p.id < w.id)
            LIMIT \(limit)
            """
        ).map { try $0.requireInt("id") }
        if picked.count < limit, try await database.query("SELECT COUNT(*) AS due FROM (\(due)) w").first?.requireInt("due") == Int64(window) {
            picked = try await database.query(
                """
                \(unsafeRaw: Self.outboxHeads)
                SELECT o.id FROM heads h JOIN outbox o ON o.id = h.id
                WHERE o.next_attempt_at <= \(now) AND \(free)
                ORDER BY o.id
                LIMIT \(limit)
                """
            ).map { try $0.requireInt("id") }
        }
        guard !picked.isEmpty else { return [] }
        // On PostgreSQL two gateways may pick the same heads; the second one's update finds them claimed (the
        // conditions are checked again on the row it waited for) and leaves them. A row is still its conversation's
        // head: an earlier one may have become pending again meanwhile (a dead letter retried).
        // `sending_at` records that a send may start now; one already set under another claim (or no claim, after
        // a restart) is kept: that send's outcome was never recorded, so the row is in doubt since then.
        // SQLite would otherwise walk every due row through `outbox_due` to match the picked ids; by rowid it looks
        // up only those.
        let claimed = try await database.query(
            """
            UPDATE outbox\(unsafeRaw: notIndexed) SET lease_until = \(until), claimed_by = \(claimant),
                sending_at = CASE WHEN sending_at IS NOT NULL AND (claimed_by IS NULL OR claimed_by <> \(claimant))
                                  THEN sending_at ELSE \(now) END
            WHERE id IN (\(list: picked))
            AND state = 'pending' AND next_attempt_at <= \(now) AND \(free)
            AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.conversation_id = outbox.conversation_id AND p.state = 'pending' AND p.id < outbox.id)
            RETURNING id, sending_at
            """)
        let ids = try claimed.map { try $0.requireInt("id") }
        guard !ids.isEmpty else { return [] }
        var doubts: [Int64: Date] = [:]
        for row in claimed {
            if let since = row.int("sending_at"), since != now { doubts[try row.requireInt("id")] = Date(milliseconds: since) }
        }
        let rows = try await database.query(
            """
            SELECT o.id, o.message_id, o.conversation_id, o.channel, o.account_id, o.recipient, o.payload,
                   o.attempts, o.idempotency_key, c.last_inbound_at, o.consent_topic, k.granted, pa.opted_out_at
            FROM outbox o
            JOIN conversations c ON c.id = o.conversation_id
            JOIN participants pa ON pa.id = c.participant_id
            LEFT JOIN consents k ON k.participant_id = c.participant_id AND k.topic = o.consent_topic
            WHERE o.id IN (\(list: ids))
            ORDER BY o.id
            """)
        return try rows.map { row in
            var item = try Self.outboxItem(row)
            item.inDoubtSince = doubts[item.id.rawValue]
            return item
        }
    }

    private static func outboxItem(_ row: SQLRow) throws -> OutboxItem {
        OutboxItem(
            id: try row.requireID("id"),
            messageID: try row.requireID("message_id"),
            conversationID: try row.requireID("conversation_id"),
            channel: Channel(rawValue: try row.requireString("channel")),
            accountID: try row.requireString("account_id"),
            recipient: try row.requireString("recipient"),
            payload: try row.requireString("payload"),
            attempts: Int(try row.requireInt("attempts")),
            idempotencyKey: try row.requireString("idempotency_key"),
            lastInboundAt: row.int("last_inbound_at").map(Date.init(milliseconds:)),
            consentTopic: row.string("consent_topic").flatMap(ConsentTopic.init(rawValue:)),
            consentGranted: row.int("granted").map { $0 != 0 } ?? false,
            recipientOptedOut: row.int("opted_out_at") != nil)
    }

    public func releaseClaims(of claimant: String?) async throws -> Int {
        // With no claimant every claim goes; the flag is a bound 1 or 0.
        let anyone = claimant == nil
        let name = claimant ?? ""
        return try await database.transaction { db in
            // A gateway stopping has finished its sends; a start after a crash keeps the others' `sending_at`: in doubt.
            let rows = try await db.query(
                """
                UPDATE outbox SET lease_until = NULL, claimed_by = NULL,
                    sending_at = CASE WHEN claimed_by = \(name) THEN NULL ELSE sending_at END
                WHERE state = 'pending' AND lease_until IS NOT NULL AND (claimed_by = \(name) OR \(anyone ? 1 : 0) = 1)
                RETURNING id
                """)
            let conversations = try await db.query(
                """
                UPDATE conversations SET runner_lease_until = NULL, runner_claimed_by = NULL
                WHERE runner_lease_until IS NOT NULL AND (runner_claimed_by = \(name) OR \(anyone ? 1 : 0) = 1)
                RETURNING id
                """)
            return rows.count + conversations.count
        }
    }

    public func claimConversation(_ id: ConversationID, claimant: String, lease: Duration, at date: Date) async throws -> Bool {
        let now = date.milliseconds
        let until = now + lease.milliseconds
        return try await !database.query(
            """
            UPDATE conversations SET runner_lease_until = \(until), runner_claimed_by = \(claimant)
            WHERE id = \(id) AND (runner_lease_until IS NULL OR runner_lease_until <= \(now) OR runner_claimed_by = \(claimant))
            RETURNING id
            """
        ).isEmpty
    }

    public var isShared: Bool { database.dialect == .postgres }

    /// ` NOT INDEXED` on SQLite, to follow a table name where SQLite's planner picks an index that makes it walk more
    /// rows than reading the table in order (or by rowid) would; nothing on PostgreSQL, whose planner costs both.
    var notIndexed: String { database.dialect == .sqlite ? " NOT INDEXED" : "" }

    @discardableResult
    public func releaseConversation(_ id: ConversationID, claimant: String) async throws -> Bool {
        // One statement: on PostgreSQL a gateway that stores an event after its snapshot waits for this row and
        // then finds it free, so it claims the conversation itself.
        let rows = try await database.query(
            """
            UPDATE conversations SET runner_lease_until = NULL, runner_claimed_by = NULL
            WHERE id = \(id) AND runner_claimed_by = \(claimant)
            RETURNING (SELECT COUNT(*) FROM messages WHERE conversation_id = \(id) AND status = 'received') AS pending
            """)
        return (rows.first?.int("pending") ?? 0) > 0
    }

    /// `heads`: the oldest unsent row of each conversation with one (a walk of the pending index, one
    /// conversation after another).
    static let outboxHeads = """
        WITH RECURSIVE c(id) AS (
            SELECT MIN(conversation_id) FROM outbox WHERE state = 'pending'
            UNION ALL
            SELECT (SELECT MIN(conversation_id) FROM outbox WHERE state = 'pending' AND conversation_id > c.id)
            FROM c WHERE c.id IS NOT NULL
        ),
        heads(id) AS (
            SELECT (SELECT MIN(p.id) FROM outbox p WHERE p.conversation_id = c.id AND p.state = 'pending') FROM c
            WHERE c.id IS NOT NULL
        )
        """

    /// When the earliest conversation's next row is due: its retry time, or when another gateway's lease on
    /// it runs out (rows behind a conversation's first wait for it).
    public func nextOutboxDue() async throws -> Date? {
        let rows = try await database.query(
            """
            \(unsafeRaw: Self.outboxHeads)
            SELECT MIN(CASE WHEN o.lease_until > o.next_attempt_at THEN o.lease_until ELSE o.next_attempt_at END) AS due
            FROM heads h JOIN outbox o ON o.id = h.id WHERE o.next_attempt_at < \(Self.heldUntilReleased)
            """)
        return rows.first?.int("due").map(Date.init(milliseconds:))
    }

    public func markSent(_ item: OutboxItem, platformMessageID: String?, at date: Date) async throws {
        let now = date.milliseconds
        try await database.transaction { db in
            try await db.query(
                """
                UPDATE outbox SET state = \(OutboxState.sent.rawValue), attempts = attempts + 1, last_error = NULL, sending_at = NULL,
                       updated_at = \(now)
                WHERE id = \(item.id)
                """)
            // The platform's confirmation (or a delivery receipt) may have been recorded first: it is kept.
            try await db.query(
                """
                UPDATE messages SET status = CASE WHEN status IN ('delivered', 'read') THEN status ELSE \(MessageStatus.sent.rawValue) END,
                       platform_message_id = COALESCE(\(platformMessageID), platform_message_id), sent_at = COALESCE(sent_at, \(now)),
                       error = NULL, updated_at = \(now)
                WHERE id = \(item.messageID)
                """)
        }
    }

    public func scheduleRetry(_ item: OutboxItem, attempts: Int, at date: Date, error: String) async throws {
        try await database.query(
            """
            UPDATE outbox SET attempts = \(attempts), next_attempt_at = \(date.milliseconds), last_error = \(error),
                   lease_until = NULL, claimed_by = NULL, sending_at = NULL, updated_at = \(Date().milliseconds)
            WHERE id = \(item.id)
            """)
    }

    public func awaitConfirmation(_ item: OutboxItem, until date: Date, at now: Date) async throws {
        try await database.query(
            """
            UPDATE outbox SET next_attempt_at = \(date.milliseconds), lease_until = NULL, claimed_by = NULL, updated_at = \(now.milliseconds)
            WHERE id = \(item.id) AND state = 'pending'
            """)
    }

    public func markSending(_ item: OutboxItem, at date: Date) async throws {
        try await database.query(
            "UPDATE outbox SET sending_at = \(date.milliseconds), updated_at = \(date.milliseconds) WHERE id = \(item.id) AND state = 'pending'")
    }

    /// Records as sent the unsent row whose idempotency key the platform's confirmation carries, with the
    /// platform's id for it; false when no unsent row has that key (it was recorded already, or is not ours).
    static func confirmSent(key: String, platformMessageID: String?, db: any SQLExecutor, now: Int64) async throws -> Bool {
        let rows = try await db.query(
            """
            UPDATE outbox SET state = \(OutboxState.sent.rawValue), attempts = CASE WHEN attempts = 0 THEN 1 ELSE attempts END,
                   last_error = NULL, lease_until = NULL, claimed_by = NULL, sending_at = NULL, updated_at = \(now)
            WHERE idempotency_key = \(key) AND state IN ('pending', 'dead')
            RETURNING message_id
            """)
        guard let row = rows.first else { return false }
        try await db.query(
            """
            UPDATE messages SET status = \(MessageStatus.sent.rawValue), platform_message_id = COALESCE(platform_message_id, \(platformMessageID)),
                   sent_at = COALESCE(sent_at, \(now)), error = NULL, updated_at = \(now)
            WHERE id = \(try row.requireInt("message_id")) AND status IN ('pending', 'failed')
            """)
        return true
    }

    public func deadLetter(_ item: OutboxItem, attempts: Int, error: String, at date: Date) async throws {
        let now = date.milliseconds
        try await database.transaction { db in
            try await db.query(
                """
                UPDATE outbox SET state = \(OutboxState.dead.rawValue), attempts = \(attempts), last_error = \(error), sending_at = NULL,
                       updated_at = \(now)
                WHERE id = \(item.id)
                """)
            try await db.query(
                "UPDATE messages SET status = \(MessageStatus.failed.rawValue), error = \(error), updated_at = \(now) WHERE id = \(item.messageID)")
        }
    }

    public func suppress(_ item: OutboxItem, reason: String, at date: Date) async throws {
        let now = date.milliseconds
        try await database.transaction { db in
            try await db.query(
                "UPDATE outbox SET state = \(OutboxState.suppressed.rawValue), last_error = \(reason), sending_at = NULL, updated_at = \(now) WHERE id = \(item.id)")
            try await db.query(
                "UPDATE messages SET status = \(MessageStatus.suppressed.rawValue), error = \(reason), updated_at = \(now) WHERE id = \(item.messageID)")
        }
    }

    public func needsTemplate(_ item: OutboxItem, reason: String, at date: Date) async throws {
        let now = date.milliseconds
        try await database.transaction { db in
            try await db.query(
                "UPDATE outbox SET state = \(OutboxState.needsTemplate.rawValue), last_error = \(reason), sending_at = NULL, updated_at = \(now) WHERE id = \(item.id)")
            try await db.query(
                "UPDATE messages SET status = \(MessageStatus.needsTemplate.rawValue), error = \(reason), updated_at = \(now) WHERE id = \(item.messageID)")
        }
    }

    public func replacePayload(_ item: OutboxItem, with payload: String, kind: String, text: String?, at date: Date) async throws {
        let now = date.milliseconds
        try await database.transaction { db in
            try await db.query("UPDATE outbox SET payload = \(payload), updated_at = \(now) WHERE id = \(item.id)")
            try await db.query(
                """
                UPDATE messages SET body = \(payload), kind = \(kind), text = \(text), updated_at = \(now)
                WHERE id = \(item.messageID)
                """)
        }
    }

    public func templateSent(conversationID: ConversationID, since date: Date) async throws -> Bool {
        let rows = try await database.query(
            """
            SELECT id FROM messages
            WHERE conversation_id = \(conversationID) AND direction = 'out' AND kind = 'template'
              AND sent_at IS NOT NULL AND sent_at > \(date == .distantPast ? Int64.min : date.milliseconds)
            LIMIT 1
            """)
        return !rows.isEmpty
    }

    public func outboxDepth() async throws -> Int {
        let rows = try await database.query("SELECT COUNT(*) AS depth FROM outbox WHERE state = 'pending'")
        return Int(rows.first?.int("depth") ?? 0)
    }

    // MARK: Admin

    public func conversations(channel: String?, mode: ConversationMode?, before cursor: Int64?, limit: Int) async throws
        -> Page<ConversationRecord>
    {
        let rows = try await database.query(
            """
            SELECT c.id, c.channel, c.account_id, c.user_id, p.display_name, c.mode, c.locale, c.last_inbound_at,
                   c.created_at, c.updated_at
            FROM conversations c JOIN participants p ON p.id = c.participant_id
            WHERE (CAST(\(channel) AS TEXT) IS NULL OR c.channel = \(channel))
              AND (CAST(\(mode?.rawValue) AS TEXT) IS NULL OR c.mode = \(mode?.rawValue))
              AND (CAST(\(cursor) AS BIGINT) IS NULL OR c.id < \(cursor))
            ORDER BY c.id DESC
            LIMIT \(limit + 1)
            """)
        return try Page(rows: rows, limit: limit, cursor: \.id) { row in
            ConversationRecord(
                id: try row.requireID("id"),
                channel: try row.requireString("channel"),
                accountID: try row.requireString("account_id"),
                userID: try row.requireString("user_id"),
                displayName: row.string("display_name"),
                mode: try row.requireEnum("mode"),
                locale: row.string("locale"),
                lastInboundAt: row.int("last_inbound_at").map(Date.init(milliseconds:)),
                createdAt: Date(milliseconds: try row.requireInt("created_at")),
                updatedAt: Date(milliseconds: try row.requireInt("updated_at")))
        }
    }

    public func messages(conversationID: ConversationID, before cursor: Int64?, limit: Int) async throws -> Page<MessageRecord>? {
        guard try await !database.query("SELECT id FROM conversations WHERE id = \(conversationID)").isEmpty else {
            return nil
        }
        let rows = try await database.query(
            """
            SELECT id, direction, kind, text, platform_message_id, status, error, metadata, created_at, sent_at, body
            FROM messages
            WHERE conversation_id = \(conversationID) AND (CAST(\(cursor) AS BIGINT) IS NULL OR id < \(cursor))
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """)
        return try Page(rows: rows, limit: limit, cursor: \.id) { row in
            MessageRecord(
                id: try row.requireID("id"),
                direction: try row.requireString("direction"),
                kind: try row.requireString("kind"),
                text: row.string("text"),
                platformMessageID: row.string("platform_message_id"),
                status: try row.requireEnum("status"),
                error: row.string("error"),
                createdAt: Date(milliseconds: try row.requireInt("created_at")),
                sentAt: row.int("sent_at").map(Date.init(milliseconds:)),
                metadata: row.string("metadata").flatMap { try? Self.decoder.decode(AnswerMetadata.self, from: Data($0.utf8)) },
                senderVerified: row.string("direction") == "in" ? row.string("body").flatMap(Self.senderVerified) : nil,
                payload: row.string("direction") == "out" ? row.string("body") : nil)
        }
    }

    /// False when a stored inbound event says its sender could not be confirmed; nil otherwise.
    private static func senderVerified(_ body: String) -> Bool? {
        guard body.contains("senderUnverified"),
            let event = try? decoder.decode(InboundEvent.self, from: Data(body.utf8)), event.senderUnverified == true
        else { return nil }
        return false
    }

    public func deadLetters(before cursor: Int64?, limit: Int) async throws -> Page<DeadLetterRecord> {
        let rows = try await database.query(
            """
            SELECT id, message_id, conversation_id, channel, attempts, last_error, updated_at
            FROM outbox
            WHERE state = 'dead' AND (CAST(\(cursor) AS BIGINT) IS NULL OR id < \(cursor))
            ORDER BY id DESC
            LIMIT \(limit + 1)
            """)
        return try Page(rows: rows, limit: limit, cursor: \.outboxID) { row in
            DeadLetterRecord(
                outboxID: try row.requireID("id"),
                messageID: try row.requireID("message_id"),
                conversationID: try row.requireID("conversation_id"),
                channel: try row.requireString("channel"),
                attempts: Int(try row.requireInt("attempts")),
                lastError: row.string("last_error"),
                updatedAt: Date(milliseconds: try row.requireInt("updated_at")))
        }
    }

    public func retryDeadLetter(outboxID: OutboxID, at date: Date) async throws -> Bool {
        let now = date.milliseconds
        return try await database.transaction { db in
            let rows = try await db.query(
                """
                UPDATE outbox SET state = \(OutboxState.pending.rawValue), attempts = 0, next_attempt_at = \(now), lease_until = NULL,
                       claimed_by = NULL, sending_at = NULL, updated_at = \(now)
                WHERE id = \(outboxID) AND state = 'dead'
                RETURNING message_id
                """)
            guard let messageID = rows.first?.int("message_id") else { return false }
            try await db.query(
                "UPDATE messages SET status = \(MessageStatus.pending.rawValue), error = NULL, updated_at = \(now) WHERE id = \(messageID)")
            return true
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .millisecondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .millisecondsSince1970
        return decoder
    }()
}
