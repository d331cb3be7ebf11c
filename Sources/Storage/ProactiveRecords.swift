import ChatModel
import Foundation

/// Where a customer can be reached for a message they did not ask for: their consent and each participant.
public struct CustomerReach: Sendable, Hashable {
    /// One participant: the customer on one channel, with its newest conversation.
    public struct Participant: Sendable, Hashable {
        public var participantID: ParticipantID
        /// Where a message to them goes (the participant's platform id; a closed conversation is opened again).
        public var key: ConversationKey
        public var displayName: String?
        /// The language of their newest conversation.
        public var locale: Language?
        /// The customer's last message on this channel, which opens the platform's service window.
        public var lastInboundAt: Date?
        /// They opted out of the channel (SMS STOP, an unsubscribe link): nothing may be sent.
        public var optedOut: Bool

        public init(
            participantID: ParticipantID, key: ConversationKey, displayName: String?, locale: Language?, lastInboundAt: Date?, optedOut: Bool
        ) {
            self.participantID = participantID
            self.key = key
            self.displayName = displayName
            self.locale = locale
            self.lastInboundAt = lastInboundAt
            self.optedOut = optedOut
        }
    }

    public var customerID: CustomerID
    public var displayName: String?
    /// Whether the customer's latest say on marketing (a newsletter or SMS subscription, on any channel) is yes.
    public var marketingConsent: Bool
    /// The latest say on each marketing topic, on any channel.
    public var consents: [ConsentTopic: Bool] = [:]
    /// Most recently active first.
    public var participants: [Participant]

    public init(customerID: CustomerID, displayName: String?, marketingConsent: Bool, participants: [Participant]) {
        self.customerID = customerID
        self.displayName = displayName
        self.marketingConsent = marketingConsent
        self.participants = participants
    }
}

/// A decision about one message nobody asked for: sent on a channel, or skipped with the reason.
public struct ProactiveDecision: Sendable, Hashable {
    /// `abandoned_cart`, `order_update` or `campaign`.
    public var purpose: String
    /// What it is about, unique within the purpose (`cart:c-9`, `order:1042:shipped`, `42:customer:7`).
    public var reference: String
    public var customerID: CustomerID?
    public var campaignID: Int64?
    /// `sent`, or `skipped:<reason>`.
    public var outcome: String
    /// The short link only this recipient was sent (a campaign's), whose clicks count.
    public var linkCode: String?

    public init(purpose: String, reference: String, customerID: CustomerID?, campaignID: CampaignID? = nil, outcome: String, linkCode: String? = nil) {
        self.purpose = purpose
        self.reference = reference
        self.customerID = customerID
        self.campaignID = campaignID?.rawValue
        self.outcome = outcome
        self.linkCode = linkCode
    }
}

/// A limit on the marketing one customer is sent: at most `maximum` messages of `purposes` since `since`.
public struct ProactiveCap: Sendable, Hashable {
    public var purposes: [String]
    public var since: Date
    public var maximum: Int

    public init(purposes: [String], since: Date, maximum: Int) {
        self.purposes = purposes
        self.since = since
        self.maximum = maximum
    }
}

/// What became of a decision to store.
public enum ProactiveRecording: Sendable, Hashable {
    /// Stored, with its messages.
    case recorded
    /// Its purpose and reference were decided before: nothing stored.
    case decidedBefore
    /// The customer reached the cap: stored as skipped for it, with no messages.
    case overCap
}
