import ChatModel
import Foundation

extension SQLStore {
    public func recordShopEvent(_ event: ShopEventRecord, jobs: [JobDraft]) async throws -> Bool {
        let now = event.receivedAt.milliseconds
        return try await database.transaction { db in
            let customerID = try await Self.customerID(of: event.customer, db: db)
            let stored = try await !db.query(
                """
                INSERT INTO shop_events (id, type, body, customer_id, cart_id, order_id, received_at)
                VALUES (\(event.id), \(event.type), \(event.body), \(customerID), \(event.cartID), \(event.orderID), \(now))
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """
            ).isEmpty
            // The work an event asks for is stored with it, or not at all (a retry asks for nothing new).
            if stored { try await Self.insertJobs(jobs, db: db, now: now) }
            return stored
        }
    }

    public func shopEvent(id: String) async throws -> StoredShopEvent? {
        try await database.transaction { db in
            guard let row = try await db.query("SELECT * FROM shop_events WHERE id = \(id)").first else { return nil }
            var event = try Self.shopEvent(row)
            // A customer not known when the event came may have written since.
            if event.customerID == nil, let identifiers = try? JSONDecoder().decode(EventCustomer.self, from: Data(event.body.utf8)).customer,
                let customerID = try await Self.customerID(of: identifiers, db: db)
            {
                try await db.query("UPDATE shop_events SET customer_id = \(customerID) WHERE id = \(id)")
                event.customerID = CustomerID(rawValue: customerID)
            }
            return event
        }
    }

    public func latestShopEvent(type: String, cartID: String) async throws -> StoredShopEvent? {
        try await database.query(
            "SELECT * FROM shop_events WHERE cart_id = \(cartID) AND type = \(type) ORDER BY received_at DESC, id DESC LIMIT 1"
        ).first.map(Self.shopEvent)
    }

    public func latestShopEvent(type: String, orderID: String) async throws -> StoredShopEvent? {
        try await database.query(
            "SELECT * FROM shop_events WHERE order_id = \(orderID) AND type = \(type) ORDER BY received_at DESC, id DESC LIMIT 1"
        ).first.map(Self.shopEvent)
    }

    private struct EventCustomer: Decodable {
        var customer: [String: String]
    }

    static func shopEvent(_ row: SQLRow) throws -> StoredShopEvent {
        StoredShopEvent(
            id: try row.requireString("id"), type: try row.requireString("type"), body: try row.requireString("body"),
            cartID: row.string("cart_id"), orderID: row.string("order_id"), customerID: row.int("customer_id").map(CustomerID.init(rawValue:)),
            receivedAt: Date(milliseconds: try row.requireInt("received_at")))
    }

    /// The customer the shop's identifiers name: a participant on the channel they name, else the customer
    /// with that address or phone number; nil when none is known yet.
    static func customerID(of identifiers: [String: String], db: any SQLExecutor) async throws -> Int64? {
        let channels: [(String, Channel)] = [
            ("widget_session", .widget), ("messenger_psid", .messenger), ("whatsapp_id", .whatsapp), ("telegram_chat_id", Channel(rawValue: "telegram")),
            ("email", .email), ("phone", .sms),
        ]
        for (field, channel) in channels {
            guard let value = identifiers[field], !value.isEmpty else { continue }
            // An address or phone number as the shop writes it is the one the platforms verified.
            let identity = VerifiedIdentity(contact: value)
            let user = field == "email" ? identity.email ?? value : field == "phone" ? identity.phone ?? value : value
            if let id = try await db.query(
                "SELECT customer_id FROM participants WHERE channel = \(channel.rawValue) AND platform_user_id = \(user) LIMIT 1"
            ).first?.int("customer_id") {
                return id
            }
        }
        if let email = identifiers["email"].flatMap({ VerifiedIdentity(contact: $0).email }),
            let id = try await db.query("SELECT id FROM customers WHERE email = \(email) ORDER BY id LIMIT 1").first?.int("id")
        {
            return id
        }
        if let phone = identifiers["phone"].flatMap({ VerifiedIdentity(contact: $0).phone }),
            let id = try await db.query("SELECT id FROM customers WHERE phone = \(phone) ORDER BY id LIMIT 1").first?.int("id")
        {
            return id
        }
        return nil
    }
}
