import Foundation

/// Who answers a conversation.
public enum ConversationMode: String, Codable, Sendable, Hashable {
    case bot
    /// A human operator took over; the agents stay silent.
    case human
}

/// The languages the gateway answers in.
public enum Language: String, Codable, Sendable, Hashable, CaseIterable {
    case hu
    case en
}

/// One earlier message of a conversation, as agents see it.
public struct HistoryEntry: Codable, Sendable, Hashable {
    public enum Direction: String, Codable, Sendable, Hashable {
        case inbound
        case outbound
    }

    public var direction: Direction
    public var text: String?
    public var timestamp: Date

    public init(direction: Direction, text: String?, timestamp: Date) {
        self.direction = direction
        self.text = text
        self.timestamp = timestamp
    }
}

/// Everything an agent needs to answer the latest event of a conversation.
public struct ConversationState: Sendable, Hashable {
    public var key: ConversationKey
    public var mode: ConversationMode
    /// The language of this turn: detected once from the event by the gateway (else the conversation's
    /// language so far); the agents answer in it and do not detect it again.
    public var locale: Language?
    /// Earlier messages, oldest first, not including `event`.
    public var history: [HistoryEntry]
    /// The event to answer.
    public var event: InboundEvent
    /// What the agents remembered after the previous turn.
    public var memory: ConversationMemory
    /// The participant's recorded marketing consents; a topic not present was never asked.
    public var consents: [ConsentTopic: Bool]
    /// The longest text the conversation's channel shows in one message, when it has a limit.
    public var textLimit: Int?
    /// In human mode: when an operator last took over or wrote.
    public var operatorActiveAt: Date?
    /// What the conversation's channel keeps between turns; the channel's inbound step reads it, not the agents.
    public var channelState: ChannelState

    public init(
        key: ConversationKey,
        mode: ConversationMode,
        locale: Language?,
        history: [HistoryEntry],
        event: InboundEvent,
        memory: ConversationMemory = ConversationMemory(),
        consents: [ConsentTopic: Bool] = [:],
        textLimit: Int? = nil,
        operatorActiveAt: Date? = nil,
        channelState: ChannelState = ChannelState()
    ) {
        self.key = key
        self.mode = mode
        self.locale = locale
        self.history = history
        self.event = event
        self.memory = memory
        self.consents = consents
        self.textLimit = textLimit
        self.operatorActiveAt = operatorActiveAt
        self.channelState = channelState
    }
}
