import ChatModel
import Foundation

/// What the operator console reads and changes: the list of conversations, assignment, read marks and notes.
extension SQLStore {
    public func inbox(_ filter: InboxFilter, before cursor: String?, limit: Int) async throws -> Page<InboxEntry> {
        // Newest activity first; the cursor is the last entry's "updated_at.id".
        let position = cursor.flatMap(Self.inboxCursor)
        let pattern = filter.search.flatMap(Self.likePattern)
        let digits = filter.search.flatMap(Self.phonePattern)
        let rows = try await database.query(
            """
            \(unsafeRaw: Self.inboxSelect)
            WHERE (CAST(\(filter.channel) AS TEXT) IS NULL OR c.channel = \(filter.channel))
              AND (CAST(\(filter.mode?.rawValue) AS TEXT) IS NULL OR c.mode = \(filter.mode?.rawValue))
              AND (CAST(\(filter.assignedTo) AS BIGINT) IS NULL OR c.operator_id = \(filter.assignedTo))
              AND (\(filter.waiting ? 1 : 0) = 0 OR EXISTS (SELECT 1 FROM handoffs w WHERE w.conversation_id = c.id AND w.state = 'open'))
              AND (CAST(\(pattern) AS TEXT) IS NULL
                   OR LOWER(COALESCE(p.display_name, '')) LIKE \(pattern) ESCAPE '\\'
                   OR LOWER(c.user_id) LIKE \(pattern) ESCAPE '\\'
                   OR (CAST(\(digits) AS TEXT) IS NOT NULL AND c.user_id LIKE \(digits) ESCAPE '\\')
                   OR EXISTS (SELECT 1 FROM messages s WHERE s.conversation_id = c.id AND LOWER(s.text) LIKE \(pattern) ESCAPE '\\'))
              AND (CAST(\(position?.updatedAt) AS BIGINT) IS NULL OR c.updated_at < \(position?.updatedAt)
                   OR (c.updated_at = \(position?.updatedAt) AND c.id < \(position?.id)))
            ORDER BY c.updated_at DESC, c.id DESC
            LIMIT \(limit + 1)
            """)
        let items = try rows.prefix(limit).map(Self.inboxEntry)
        let next = rows.count > limit ? items.last.map { "\($0.updatedAt.milliseconds).\($0.id)" } : nil
        return Page(items: items, nextCursor: next)
    }

    public func conversationDetail(id: ConversationID) async throws -> ConversationDetail? {
        let rows = try await database.query(
            """
            \(unsafeRaw: Self.inboxSelect)
            WHERE c.id = \(id)
            """)
        guard let row = rows.first else { return nil }
        let entry = try Self.inboxEntry(row)
        let memory = try row.string("agent_memory").map { try Self.decoder.decode(ConversationMemory.self, from: Data($0.utf8)) }
        return ConversationDetail(
            conversation: entry, optedOut: row.int("opted_out_at") != nil, consents: try await consents(conversationID: id) ?? [],
            notes: try await notes(conversationID: id), verifiedContact: memory?.verification, verifiedOrders: memory?.verifiedOrders ?? [])
    }

    public func assign(conversationID: ConversationID, to account: OperatorRecord, at date: Date) async throws -> Bool {
        let now = date.milliseconds
        return try await database.transaction { db in
            try await Self.takeOver(conversationID, operator: account.name, account: account.id, reason: "assigned to an operator", db: db, now: now)
        }
    }

    public func operatorAccount(id: OperatorID) async throws -> OperatorRecord? {
        try await database.query("SELECT id, email, name, role, disabled_at, created_at FROM operators WHERE id = \(id)")
            .first.map(Self.operatorRecord)
    }

    public func markSeen(conversationID: ConversationID, at date: Date) async throws -> Bool {
        !(try await database.query(
            "UPDATE conversations SET seen_at = \(date.milliseconds) WHERE id = \(conversationID) RETURNING id")).isEmpty
    }

    public func addNote(conversationID: ConversationID, author: String, text: String, at date: Date) async throws -> NoteRecord? {
        guard try await !database.query("SELECT id FROM conversations WHERE id = \(conversationID)").isEmpty else { return nil }
        let rows = try await database.query(
            """
            INSERT INTO conversation_notes (conversation_id, author, text, created_at)
            VALUES (\(conversationID), \(author), \(text), \(date.milliseconds))
            RETURNING id, conversation_id, author, text, created_at
            """)
        return try rows.first.map(Self.noteRecord)
    }

    public func notes(conversationID: ConversationID) async throws -> [NoteRecord] {
        try await database.query(
            """
            SELECT id, conversation_id, author, text, created_at FROM conversation_notes
            WHERE conversation_id = \(conversationID) ORDER BY id
            """
        ).map(Self.noteRecord)
    }

    /// The list's columns: the conversation, its customer, its latest request for a person, the
    /// assigned account, its latest message and how many customer messages came since it was read.
    private static let inboxSelect = """
        SELECT c.id, c.channel, c.account_id, c.user_id, p.display_name, c.mode, c.locale, c.last_inbound_at, c.updated_at,
               c.agent_memory, p.opted_out_at, c.operator_id, o.name AS operator_account,
               h.state AS handoff_state, h.reason AS handoff_reason, h.operator AS handoff_operator,
               m.direction AS last_direction, m.kind AS last_kind, m.text AS last_text, m.created_at AS last_at,
               (SELECT COUNT(*) FROM messages u WHERE u.conversation_id = c.id AND u.direction = 'in'
                  AND u.created_at > COALESCE(c.seen_at, 0)) AS unread
        FROM conversations c
        JOIN participants p ON p.id = c.participant_id
        LEFT JOIN operators o ON o.id = c.operator_id
        LEFT JOIN handoffs h ON h.id = (SELECT MAX(x.id) FROM handoffs x WHERE x.conversation_id = c.id AND x.state <> 'closed')
        LEFT JOIN messages m ON m.id = (SELECT MAX(y.id) FROM messages y WHERE y.conversation_id = c.id)
        """

    private static func inboxEntry(_ row: SQLRow) throws -> InboxEntry {
        let mode: ConversationMode = try row.requireEnum("mode")
        let handoff = row.string("handoff_state").flatMap(HandoffState.init(rawValue:))
        let state: ConversationQueueState = handoff == .open ? .waiting : mode == .human ? .human : .bot
        let lastMessage = try row.string("last_direction").map { direction in
            InboxEntry.LastMessage(
                direction: direction, kind: try row.requireString("last_kind"), text: row.string("last_text"),
                at: Date(milliseconds: try row.requireInt("last_at")))
        }
        return InboxEntry(
            id: try row.requireID("id"), channel: try row.requireString("channel"), accountID: try row.requireString("account_id"),
            userID: try row.requireString("user_id"), displayName: row.string("display_name"), mode: mode, state: state,
            handoffReason: row.string("handoff_reason"), operatorID: row.int("operator_id").map { OperatorID($0) },
            operatorName: row.string("operator_account") ?? row.string("handoff_operator"), lastMessage: lastMessage,
            unread: row.int("unread").map(Int.init) ?? 0, locale: row.string("locale"),
            lastInboundAt: row.int("last_inbound_at").map(Date.init(milliseconds:)),
            updatedAt: Date(milliseconds: try row.requireInt("updated_at")))
    }

    private static func noteRecord(_ row: SQLRow) throws -> NoteRecord {
        NoteRecord(
            id: try row.requireID("id"), conversationID: try row.requireID("conversation_id"), author: try row.requireString("author"),
            text: try row.requireString("text"), createdAt: Date(milliseconds: try row.requireInt("created_at")))
    }

    /// `%words%` for `LIKE … ESCAPE '\'`, lower-cased, with the pattern characters escaped; nil for blank words.
    static func likePattern(_ words: String) -> String? {
        let trimmed = words.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !trimmed.isEmpty else { return nil }
        var escaped = ""
        for character in trimmed {
            if character == "\\" || character == "%" || character == "_" { escaped.append("\\") }
            escaped.append(character)
        }
        return "%\(escaped)%"
    }

    /// A phone number's digits as a pattern (`+36 30 123 4567` finds `36301234567`); nil unless it has 6 or more.
    static func phonePattern(_ words: String) -> String? {
        let digits = words.filter(\.isASCII).filter(\.isNumber)
        guard digits.count >= 6, words.allSatisfy({ $0.isNumber || " +-()/".contains($0) }) else { return nil }
        return "%\(digits)%"
    }

    private static func inboxCursor(_ value: String) -> (updatedAt: Int64, id: Int64)? {
        let parts = value.split(separator: ".")
        guard parts.count == 2, let updatedAt = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        return (updatedAt, id)
    }
}
