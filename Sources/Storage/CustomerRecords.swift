import Foundation

/// A customer as the admin API shows them: the person, and their identity on each channel.
public struct CustomerRecord: Sendable, Hashable, Codable {
    /// One participant: the customer on one channel.
    public struct Identity: Sendable, Hashable, Codable {
        public var participantID: ParticipantID
        public var channel: String
        /// The customer's id on the platform (PSID, phone number, address, session).
        public var platformUserID: String
        public var displayName: String?
        public var createdAt: Date

        enum CodingKeys: String, CodingKey {
            case channel
            case participantID = "participant_id"
            case platformUserID = "platform_user_id"
            case displayName = "display_name"
            case createdAt = "created_at"
        }
    }

    public var id: CustomerID
    public var displayName: String?
    /// The address and phone number the platforms verified, which link new participants to this customer.
    public var email: String?
    public var phone: String?
    /// The shop's own id of the customer, when the shop vouched for it (the widget's signed user id).
    public var shopCustomerID: String?
    public var createdAt: Date
    public var identities: [Identity]

    enum CodingKeys: String, CodingKey {
        case id, email, phone, identities
        case shopCustomerID = "shop_customer_id"
        case displayName = "display_name"
        case createdAt = "created_at"
    }
}

/// Everything stored about one customer: every row of every table that holds their data, with all its columns.
public struct CustomerExport: Sendable, Codable {
    public var customer: CustomerRecord
    public var exportedAt: Date
    /// Rows by table name, oldest first.
    public var tables: [String: [[String: ExportedValue]]]

    enum CodingKeys: String, CodingKey {
        case customer, tables
        case exportedAt = "exported_at"
    }
}

/// One stored column value, as JSON.
public enum ExportedValue: Sendable, Hashable, Codable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)

    init(_ value: SQLValue) {
        switch value {
        case .null: self = .null
        case .int(let number): self = .int(number)
        case .double(let number): self = .double(number)
        case .text(let text): self = .text(text)
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let number = try? container.decode(Int64.self) {
            self = .int(number)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .int(let number): try container.encode(number)
        case .double(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        }
    }
}

/// What an erasure removed, in numbers only (the audit log keeps it; nothing in it names the person).
public struct ErasureRecord: Sendable, Hashable, Codable {
    public var customerID: CustomerID
    public var conversations: Int
    public var messages = 0
    public var shortLinks: Int

    enum CodingKeys: String, CodingKey {
        case conversations, messages
        case customerID = "customer_id"
        case shortLinks = "short_links"
    }
}
