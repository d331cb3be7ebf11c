import ChatModel

/// The turn a renderer renders replies for: whom they answer, in which language, and how long the answer took.
public struct ReplyContext: Sendable, Hashable {
    public var conversation: ConversationKey
    /// The platform id of the inbound event being answered; empty for a message nobody asked for (an operator's).
    public var inReplyTo: String
    public var language: Language
    /// Time spent producing the answer.
    public var processingTime: Duration
    /// The customer's message quoted one of ours, so the answer quotes theirs where the channel can.
    public var quotesCustomer: Bool
    /// The subject line the customer's message came with (email).
    public var subject: String?
    /// The customer's name, when known.
    public var recipientName: String?
    /// The consent a marketing message needs; such messages carry an unsubscribe link where the channel has one.
    public var consentTopic: ConsentTopic?
    /// A platform message tag the messages go with (Messenger's `HUMAN_AGENT` for a person's late reply).
    public var messageTag: String?

    public init(
        conversation: ConversationKey, inReplyTo: String, language: Language, processingTime: Duration, quotesCustomer: Bool = false,
        subject: String? = nil, recipientName: String? = nil, consentTopic: ConsentTopic? = nil
    ) {
        self.conversation = conversation
        self.inReplyTo = inReplyTo
        self.language = language
        self.processingTime = processingTime
        self.quotesCustomer = quotesCustomer
        self.subject = subject
        self.recipientName = recipientName
        self.consentTopic = consentTopic
    }
}
