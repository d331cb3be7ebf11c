import ChatModel
import Foundation

extension SQLStore {
    /// Gives a new participant its customer: the one already known by the phone number or address the
    /// platform verified for it, else a new one.
    static func attachCustomer(_ participantID: Int64, key: ConversationKey, name: String?, db: any SQLExecutor, now: Int64) async throws {
        let identity = VerifiedIdentity(channel: key.channel, platformUserID: key.userID)
        var customerID: Int64?
        if let phone = identity.phone {
            customerID = try await db.query("SELECT id FROM customers WHERE phone = \(phone) ORDER BY id LIMIT 1").first?.int("id")
        }
        if customerID == nil, let email = identity.email {
            customerID = try await db.query("SELECT id FROM customers WHERE email = \(email) ORDER BY id LIMIT 1").first?.int("id")
        }
        if customerID == nil {
            customerID = try await db.query(
                """
                INSERT INTO customers (display_name, email, phone, created_at, updated_at)
                VALUES (\(name), \(identity.email), \(identity.phone), \(now), \(now))
                RETURNING id
                """
            ).first?.int("id")
        }
        try await db.query("UPDATE participants SET customer_id = \(customerID) WHERE id = \(participantID)")
    }

    /// Makes the participant the customer's whom the shop knows as `shopCustomerID`: the participant's own
    /// customer takes the id when it has none and no other customer has it; otherwise the participant moves to
    /// the customer with it (or a new one), and a customer left without participants goes.
    static func linkShopCustomer(_ participantID: Int64, shopCustomerID: String, db: any SQLExecutor, now: Int64) async throws {
        guard let current = try await db.query(
            "SELECT c.id, c.shop_customer_id FROM participants p JOIN customers c ON c.id = p.customer_id WHERE p.id = \(participantID)"
        ).first else { return }
        if current.string("shop_customer_id") == shopCustomerID { return }
        let currentID = try current.requireInt("id")
        var target = try await db.query(
            "SELECT id FROM customers WHERE shop_customer_id = \(shopCustomerID) ORDER BY id LIMIT 1"
        ).first?.int("id")
        if target == nil, current.string("shop_customer_id") == nil {
            try await db.query("UPDATE customers SET shop_customer_id = \(shopCustomerID), updated_at = \(now) WHERE id = \(currentID)")
            return
        }
        if target == nil {
            target = try await db.query(
                "INSERT INTO customers (shop_customer_id, created_at, updated_at) VALUES (\(shopCustomerID), \(now), \(now)) RETURNING id"
            ).first?.int("id")
        }
        try await db.query("UPDATE participants SET customer_id = \(target) WHERE id = \(participantID)")
        try await Self.deleteIfEmpty(currentID, movingEventsTo: target, db: db)
    }

    /// Puts the participant of a conversation with the customer known by `contact`, an address or phone number
    /// the customer just proved by verifying an order with it; the participant's own customer takes the
    /// contact when no customer has it yet.
    static func linkVerifiedContact(_ contact: String, conversationID: Int64, db: any SQLExecutor, now: Int64) async throws {
        let identity = VerifiedIdentity(contact: contact)
        let email = identity.email
        let phone = identity.phone
        guard email != nil || phone != nil,
            let current = try await db.query(
                """
                SELECT p.id AS participant_id, k.id, k.email, k.phone FROM conversations c
                JOIN participants p ON p.id = c.participant_id JOIN customers k ON k.id = p.customer_id
                WHERE c.id = \(conversationID)
                """
            ).first
        else { return }
        if let email, current.string("email") == email { return }
        if let phone, current.string("phone") == phone { return }
        let currentID = try current.requireInt("id")
        let participantID = try current.requireInt("participant_id")
        let owner = try await db.query(
            email != nil
                ? "SELECT id FROM customers WHERE email = \(email) ORDER BY id LIMIT 1"
                : "SELECT id FROM customers WHERE phone = \(phone) ORDER BY id LIMIT 1"
        ).first?.int("id")
        guard let owner else {
            try await db.query(
                """
                UPDATE customers SET email = COALESCE(email, \(email)), phone = COALESCE(phone, \(phone)), updated_at = \(now)
                WHERE id = \(currentID)
                """)
            return
        }
        try await db.query("UPDATE participants SET customer_id = \(owner), linked_by_operator = 0 WHERE id = \(participantID)")
        try await Self.deleteIfEmpty(currentID, movingEventsTo: owner, db: db)
    }

    /// Deletes a customer left without participants, their shop events going to the customer they joined.
    static func deleteIfEmpty(_ id: Int64, movingEventsTo target: Int64?, db: any SQLExecutor) async throws {
        guard try await db.query("SELECT id FROM participants WHERE customer_id = \(id) LIMIT 1").isEmpty else { return }
        for table in PersonalData.customerRows {
            try await db.query("UPDATE \(unsafeRaw: table) SET customer_id = \(target) WHERE customer_id = \(id)")
        }
        try await db.query("DELETE FROM customers WHERE id = \(id)")
    }

    /// The orders the customer verified in their other conversations, and the contact that verified them, where the
    /// customer proved every link involved (no operator put either participant with the customer).
    static func linkedVerifications(of conversationID: ConversationID, db: any SQLExecutor) async throws -> (orders: [String], contact: String?) {
        let rows = try await db.query(
            """
            SELECT o.agent_memory FROM conversations c
            JOIN participants p ON p.id = c.participant_id
            JOIN participants q ON q.customer_id = p.customer_id AND q.linked_by_operator = 0
            JOIN conversations o ON o.participant_id = q.id AND o.id <> c.id
            WHERE c.id = \(conversationID) AND p.linked_by_operator = 0 AND o.agent_memory LIKE '%"verification"%'
            ORDER BY o.id
            """)
        var orders: [String] = []
        var contact: String?
        for row in rows {
            guard let text = row.string("agent_memory"), let memory = try? decoder.decode(ConversationMemory.self, from: Data(text.utf8)),
                memory.verification != nil
            else { continue }
            for order in memory.verifiedOrders where !orders.contains(order) { orders.append(order) }
            contact = contact ?? memory.verification
        }
        return (orders, contact)
    }

    public func customers(matching text: String?, before cursor: Int64?, limit: Int) async throws -> Page<CustomerRecord> {
        let pattern = text.flatMap(Self.likePattern)
        let digits = text.flatMap(Self.phonePattern)
        let rows = try await database.query(
            """
            SELECT c.id FROM customers c
            WHERE (CAST(\(cursor) AS BIGINT) IS NULL OR c.id < \(cursor))
              AND (CAST(\(pattern) AS TEXT) IS NULL
                   OR LOWER(COALESCE(c.display_name, '')) LIKE \(pattern) ESCAPE '\\'
                   OR COALESCE(c.email, '') LIKE \(pattern) ESCAPE '\\'
                   OR LOWER(COALESCE(c.shop_customer_id, '')) LIKE \(pattern) ESCAPE '\\'
                   OR (CAST(\(digits) AS TEXT) IS NOT NULL AND COALESCE(c.phone, '') LIKE \(digits) ESCAPE '\\')
                   OR EXISTS (SELECT 1 FROM participants p WHERE p.customer_id = c.id
                              AND (LOWER(p.platform_user_id) LIKE \(pattern) ESCAPE '\\'
                                   OR LOWER(COALESCE(p.display_name, '')) LIKE \(pattern) ESCAPE '\\'
                                   OR (CAST(\(digits) AS TEXT) IS NOT NULL AND p.platform_user_id LIKE \(digits) ESCAPE '\\'))))
            ORDER BY c.id DESC
            LIMIT \(limit + 1)
            """)
        let ids = try rows.map { try $0.requireInt("id") }
        var records: [CustomerRecord] = []
        for id in ids.prefix(limit) {
            if let record = try await customer(CustomerID(rawValue: id)) { records.append(record) }
        }
        return Page(items: records, nextCursor: ids.count > limit ? records.last.map { String($0.id.rawValue) } : nil)
    }

    public func customer(_ id: CustomerID) async throws -> CustomerRecord? {
        guard let row = try await database.query("SELECT * FROM customers WHERE id = \(id)").first else { return nil }
        let identities = try await database.query(
            "SELECT id, channel, platform_user_id, display_name, created_at FROM participants WHERE customer_id = \(id) ORDER BY id"
        ).map { participant in
            CustomerRecord.Identity(
                participantID: try participant.requireID("id"), channel: try participant.requireString("channel"),
                platformUserID: try participant.requireString("platform_user_id"), displayName: participant.string("display_name"),
                createdAt: Date(milliseconds: try participant.requireInt("created_at")))
        }
        return CustomerRecord(
            id: id, displayName: row.string("display_name") ?? identities.lazy.compactMap(\.displayName).first,
            email: row.string("email"), phone: row.string("phone"), shopCustomerID: row.string("shop_customer_id"),
            createdAt: Date(milliseconds: try row.requireInt("created_at")), identities: identities)
    }

    public func customerID(of conversationID: ConversationID) async throws -> CustomerID? {
        try await database.query(
            """
            SELECT p.customer_id FROM conversations c JOIN participants p ON p.id = c.participant_id WHERE c.id = \(conversationID)
            """
        ).first?.int("customer_id").map { CustomerID(rawValue: $0) }
    }

    public func exportCustomer(_ id: CustomerID, at date: Date) async throws -> CustomerExport? {
        guard let customer = try await customer(id) else { return nil }
        var tables: [String: [[String: ExportedValue]]] = [:]
        for (name, coverage) in PersonalData.tables {
            guard case .customer(let rows) = coverage else { continue }
            tables[name] = try await database.query(rows(id)).map { row in row.byName.mapValues(ExportedValue.init) }
        }
        return CustomerExport(customer: customer, exportedAt: date, tables: tables)
    }

    public func linkCustomers(_ id: CustomerID, absorbing other: CustomerID, at date: Date) async throws -> Bool {
        guard id != other else { return false }
        let now = date.milliseconds
        return try await database.transaction { db in
            let found = try await db.query("SELECT id, email, phone, display_name FROM customers WHERE id IN (\(id), \(other))")
            guard found.count == 2, let absorbed = try found.first(where: { try $0.requireInt("id") == other.rawValue }) else { return false }
            try await db.query("UPDATE participants SET customer_id = \(id), linked_by_operator = 1 WHERE customer_id = \(other)")
            for table in PersonalData.customerRows {
                try await db.query("UPDATE \(unsafeRaw: table) SET customer_id = \(id) WHERE customer_id = \(other)")
            }
            try await db.query(
                """
                UPDATE customers SET email = COALESCE(email, \(absorbed.string("email"))), phone = COALESCE(phone, \(absorbed.string("phone"))),
                       display_name = COALESCE(display_name, \(absorbed.string("display_name"))), updated_at = \(now)
                WHERE id = \(id)
                """)
            try await db.query("DELETE FROM customers WHERE id = \(other)")
            return true
        }
    }

    public func unlinkParticipant(_ participant: ParticipantID, from id: CustomerID, at date: Date) async throws -> CustomerID? {
        let now = date.milliseconds
        return try await database.transaction { db in
            guard let row = try await db.query(
                "SELECT channel, platform_user_id, display_name FROM participants WHERE id = \(participant) AND customer_id = \(id)"
            ).first else { return nil }
            let others = try await db.query("SELECT id FROM participants WHERE customer_id = \(id) AND id <> \(participant) LIMIT 1")
            guard !others.isEmpty else { return nil }
            let identity = VerifiedIdentity(channel: Channel(rawValue: try row.requireString("channel")), platformUserID: try row.requireString("platform_user_id"))
            let created = try await db.query(
                """
                INSERT INTO customers (display_name, email, phone, created_at, updated_at)
                VALUES (\(row.string("display_name")), \(identity.email), \(identity.phone), \(now), \(now))
                RETURNING id
                """)
            let newID: CustomerID = try created[0].requireID("id")
            try await db.query("UPDATE participants SET customer_id = \(newID), linked_by_operator = 0 WHERE id = \(participant)")
            // The customer keeps the identities its remaining participants vouch for.
            let remaining = try await db.query("SELECT channel, platform_user_id FROM participants WHERE customer_id = \(id)").map {
                VerifiedIdentity(channel: Channel(rawValue: try $0.requireString("channel")), platformUserID: try $0.requireString("platform_user_id"))
            }
            if let email = identity.email, !remaining.contains(where: { $0.email == email }) {
                try await db.query("UPDATE customers SET email = NULL WHERE id = \(id) AND email = \(email)")
            }
            if let phone = identity.phone, !remaining.contains(where: { $0.phone == phone }) {
                try await db.query("UPDATE customers SET phone = NULL WHERE id = \(id) AND phone = \(phone)")
            }
            try await db.query("UPDATE customers SET updated_at = \(now) WHERE id = \(id)")
            return newID
        }
    }

    public func eraseCustomer(_ id: CustomerID, shortLinkPath: String, at date: Date) async throws -> ErasureRecord? {
        let erased: ErasureRecord? = try await database.transaction { db in
            guard try await !db.query("SELECT id FROM customers WHERE id = \(id)").isEmpty else { return nil }
            let conversations = try await db.query(
                "SELECT c.id FROM conversations c JOIN participants p ON p.id = c.participant_id WHERE p.customer_id = \(id)"
            ).map { try $0.requireInt("id") }
            let inConversations = "(" + (conversations.isEmpty ? "NULL" : conversations.map(String.init).joined(separator: ", ")) + ")"
            // Short links only this customer was sent (an order's tracking page) go; links others got stay.
            let bodies = try await db.query(
                "SELECT body FROM messages WHERE direction = 'out' AND conversation_id IN \(unsafeRaw: inConversations)"
            ).compactMap { $0.string("body") }
            var links = 0
            for code in Set(bodies.flatMap { Self.linkCodes(in: $0, path: shortLinkPath) }) {
                let pattern = "%" + shortLinkPath + "/" + code + "%"
                let elsewhere = try await db.query(
                    """
                    SELECT id FROM messages WHERE direction = 'out' AND conversation_id NOT IN \(unsafeRaw: inConversations)
                      AND body LIKE \(pattern) LIMIT 1
                    """)
                if elsewhere.isEmpty { links += try await db.query("DELETE FROM short_links WHERE code = \(code) RETURNING code").count }
            }
            var record = ErasureRecord(customerID: id, conversations: conversations.count, shortLinks: links)
            record.messages = try await Self.deleteConversations(conversations, db: db)
            for table in ["verification_failures", "consents"] {
                guard case .customer(let select)? = PersonalData.tables.first(where: { $0.name == table })?.coverage else { continue }
                try await Self.delete(try await db.query(select(id)), from: table, db: db)
            }
            for table in PersonalData.customerRows {
                try await db.query("DELETE FROM \(unsafeRaw: table) WHERE customer_id = \(id)")
            }
            try await db.query("DELETE FROM participants WHERE customer_id = \(id)")
            try await db.query("DELETE FROM customers WHERE id = \(id)")
            return record
        }
        guard let erased else { return nil }
        try await database.reclaim(PersonalData.tables.compactMap { name, coverage in
            if case .customer = coverage { return name }
            return nil
        } + ["short_links"])
        return erased
    }

    /// Deletes conversations with their messages, outbox rows, hand-offs, notes and pending notifications; the
    /// audit log keeps operators' actions on them without the conversation or detail. Returns the messages deleted.
    static func deleteConversations(_ ids: [Int64], db: any SQLExecutor) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let list = "(" + ids.map(String.init).joined(separator: ", ") + ")"
        for id in ids {
            try await db.query(
                """
                DELETE FROM jobs WHERE payload LIKE \("%\"conversation_id\":\(id),%") OR payload LIKE \("%\"conversation_id\":\(id)}%")
                """)
        }
        try await db.query("UPDATE audit_log SET conversation_id = NULL, detail = NULL WHERE conversation_id IN \(unsafeRaw: list)")
        for table in ["outbox", "conversation_notes", "handoffs"] {
            try await db.query("DELETE FROM \(unsafeRaw: table) WHERE conversation_id IN \(unsafeRaw: list)")
        }
        let messages = try await db.query("DELETE FROM messages WHERE conversation_id IN \(unsafeRaw: list) RETURNING id").count
        try await db.query("DELETE FROM conversations WHERE id IN \(unsafeRaw: list)")
        return messages
    }

    /// Deletes the selected rows of `table` by their key.
    private static func delete(_ rows: [SQLRow], from table: String, db: any SQLExecutor) async throws {
        switch table {
        case "consents":
            for row in rows {
                try await db.query(
                    "DELETE FROM consents WHERE participant_id = \(try row.requireInt("participant_id")) AND topic = \(try row.requireString("topic"))")
            }
        case "verification_failures":
            for row in rows { try await db.query("DELETE FROM verification_failures WHERE subject = \(try row.requireString("subject"))") }
        default:
            let ids = try rows.map { String(try $0.requireInt("id")) }
            guard !ids.isEmpty else { return }
            try await db.query("DELETE FROM \(unsafeRaw: table) WHERE id IN (\(unsafeRaw: ids.joined(separator: ", ")))")
        }
    }

    /// The short link codes in a stored body: what follows `path` and a slash, letters and digits.
    static func linkCodes(in body: String, path: String) -> [String] {
        let marker = path + "/"
        var codes: [String] = []
        var rest = body[...]
        while let range = rest.range(of: marker) {
            let code = rest[range.upperBound...].prefix { $0.isASCII && ($0.isLetter || $0.isNumber) }
            if !code.isEmpty { codes.append(String(code)) }
            rest = rest[range.upperBound...]
        }
        return codes
    }

    /// The names of the schema's tables, sorted.
    public func tables() async throws -> [String] {
        let sql: SQLStatement = database.dialect == .sqlite
            ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        return try await database.query(sql).map { try $0.requireString("name") }.sorted()
    }
}
