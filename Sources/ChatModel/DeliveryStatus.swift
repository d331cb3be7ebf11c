import Foundation

/// How far an outbound message has come; it only ever moves forward.
public enum DeliveryStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Stored in the outbox, not yet accepted by the platform.
    case pending
    case sent
    case delivered
    case read
    /// The platform refused it, or it was dead-lettered after its retries.
    case failed
    /// Not sent on purpose (opt-out, closed window).
    case suppressed

    /// Order used to keep status changes forward-only.
    public var rank: Int {
        switch self {
        case .pending: 0
        case .sent: 1
        case .delivered: 2
        case .read: 3
        case .failed, .suppressed: 4
        }
    }
}

/// A platform's report that outbound messages were delivered or read.
public struct Receipt: Codable, Sendable, Hashable {
    public var status: DeliveryStatus
    /// Platform ids of the messages the receipt names, when it names them.
    public var messageIDs: [String]
    /// Every message sent at or before this instant is covered, when the platform uses watermarks.
    public var watermark: Date?
    /// Why the platform could not deliver, for `failed` (`131026: Message undeliverable`).
    public var error: String?
    /// The failure says the recipient has opted out of the channel (Twilio 21610).
    public var recipientOptedOut: Bool
    /// The idempotency key of our outbox row that the platform carried back (Messenger echo `metadata`,
    /// WhatsApp `biz_opaque_callback_data`, our Twilio callback URL, SendGrid `custom_args`): the platform
    /// confirms it took that send.
    public var outboxKey: String?

    public init(
        status: DeliveryStatus, messageIDs: [String] = [], watermark: Date? = nil, error: String? = nil, recipientOptedOut: Bool = false,
        outboxKey: String? = nil
    ) {
        self.status = status
        self.messageIDs = messageIDs
        self.watermark = watermark
        self.error = error
        self.recipientOptedOut = recipientOptedOut
        self.outboxKey = outboxKey
    }

    enum CodingKeys: String, CodingKey {
        case status, messageIDs, watermark, error, recipientOptedOut, outboxKey
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        status = try container.decode(DeliveryStatus.self, forKey: .status)
        messageIDs = try container.decodeIfPresent([String].self, forKey: .messageIDs) ?? []
        watermark = try container.decodeIfPresent(Date.self, forKey: .watermark)
        error = try container.decodeIfPresent(String.self, forKey: .error)
        recipientOptedOut = try container.decodeIfPresent(Bool.self, forKey: .recipientOptedOut) ?? false
        outboxKey = try container.decodeIfPresent(String.self, forKey: .outboxKey)
    }
}
