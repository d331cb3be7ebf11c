import ChatModel
import Foundation

extension SQLStore {
    public func recordShopEvent(_ event: ShopEventRecord) async throws -> Bool {
        let now = event.receivedAt.milliseconds
        return try await database.transaction { db in
            let customerID = try await Self.customerID(of: event.customer, db: db)
            return try await !db.query(
                """
                INSERT INTO shop_events (id, type, body, customer_id, received_at)
                VALUES (\(event.id), \(event.type), \(event.body), \(customerID), \(now))
                ON CONFLICT (id) DO NOTHING
                RETURNING id
                """
            ).isEmpty
        }
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
