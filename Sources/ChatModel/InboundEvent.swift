import Foundation

/// One thing a platform told us about a conversation, normalized across channels.
public struct InboundEvent: Codable, Sendable, Hashable {
    public var conversation: ConversationKey
    /// The platform's id of the event (message id); unique per channel and used to drop retries.
    public var platformID: String
    /// When the platform says the event happened.
    public var timestamp: Date
    public var content: InboundContent
    /// The platform id of our message this one answers, when the customer replied to it.
    public var replyTo: String?
    /// The customer's display name, when the platform sends it.
    public var senderName: String?
    /// The subject line the message came with (email).
    public var subject: String?
    /// The platform could not confirm who sent this (an email failing both SPF and DKIM): nothing
    /// private, such as order details, is told in answer.
    public var senderUnverified: Bool?
    /// The shop's own id of the customer, signed by the shop (the widget's `data-user-id` with its hash).
    public var shopCustomerID: String?

    public var channel: Channel { conversation.channel }

    public init(
        conversation: ConversationKey,
        platformID: String,
        timestamp: Date,
        content: InboundContent,
        replyTo: String? = nil,
        senderName: String? = nil,
        subject: String? = nil,
        senderUnverified: Bool? = nil
    ) {
        self.senderUnverified = senderUnverified
        self.conversation = conversation
        self.platformID = platformID
        self.timestamp = timestamp
        self.content = content
        self.replyTo = replyTo
        self.senderName = senderName
        self.subject = subject
    }
}

/// What an inbound event carries.
public enum InboundContent: Codable, Sendable, Hashable {
    case text(String)
    /// A tap on a quick reply: the title shown and the payload we attached.
    case quickReply(title: String, payload: String)
    /// A tap on a postback button, Get Started or a menu item.
    case postback(title: String, payload: String, referral: Referral?)
    case attachments([Attachment], caption: String?)
    case location(Location)
    case reaction(Reaction)
    case referral(Referral)
    case receipt(Receipt)
    /// A copy of a message our own account sent; never answered.
    case echo(text: String?, metadata: String?)
    /// A person answered the customer from the platform's own inbox (the Page inbox), not through the
    /// gateway: a human has the conversation.
    case humanReply(text: String?)

    /// Whether the agent graph should see this event and may answer it.
    public var isConversational: Bool {
        switch self {
        case .text, .quickReply, .postback, .attachments, .location, .referral: true
        case .reaction, .receipt, .echo, .humanReply: false
        }
    }

    /// A short name of the kind, for storage and metrics.
    public var kindName: String {
        switch self {
        case .text: "text"
        case .quickReply: "quick_reply"
        case .postback: "postback"
        case .attachments: "attachments"
        case .location: "location"
        case .reaction: "reaction"
        case .referral: "referral"
        case .receipt: "receipt"
        case .echo: "echo"
        case .humanReply: "human_reply"
        }
    }

    /// The words the customer sent or chose, if any.
    public var text: String? {
        switch self {
        case .text(let text): text
        case .quickReply(let title, _): title
        case .postback(let title, _, _): title
        case .attachments(_, let caption): caption
        case .echo(let text, _): text
        case .humanReply(let text): text
        case .location, .reaction, .referral, .receipt: nil
        }
    }
}
