import ChatModel
import Foundation

/// The turn POSTed to a remote agent graph (`AGENT_GRAPH_URL`): the conversation's normalized state.
public struct RemoteTurn: Codable, Sendable, Hashable {
    public struct Conversation: Codable, Sendable, Hashable {
        public var channel: String
        public var accountID: String
        public var userID: String

        enum CodingKeys: String, CodingKey {
            case channel
            case accountID = "account_id"
            case userID = "user_id"
        }
    }

    public struct Event: Codable, Sendable, Hashable {
        public var id: String
        /// `text`, `quick_reply`, `postback`, `attachments`, `location`, `referral`.
        public var kind: String
        public var text: String?
        public var payload: String?
        public var timestamp: Date
    }

    public struct Message: Codable, Sendable, Hashable {
        /// `inbound` (the customer) or `outbound` (us).
        public var direction: String
        public var text: String?
        public var timestamp: Date
    }

    public var conversation: Conversation
    public var mode: String
    public var locale: String
    public var history: [Message]
    public var event: Event
    public var memory: ConversationMemory
    /// Consents by topic (`newsletter`, `sms`): true or false when recorded.
    public var consents: [String: Bool]

    public init(_ state: ConversationState, language: Language) {
        conversation = Conversation(channel: state.key.channel.rawValue, accountID: state.key.accountID, userID: state.key.userID)
        mode = state.mode.rawValue
        locale = language.rawValue
        history = state.history.map { Message(direction: $0.direction.rawValue, text: $0.text, timestamp: $0.timestamp) }
        var payload: String?
        if case .quickReply(_, let tapped) = state.event.content { payload = tapped }
        if case .postback(_, let tapped, _) = state.event.content { payload = tapped }
        event = Event(
            id: state.event.platformID, kind: state.event.content.kindName, text: state.event.content.text, payload: payload,
            timestamp: state.event.timestamp)
        memory = state.memory
        consents = Dictionary(uniqueKeysWithValues: state.consents.map { ($0.key.rawValue, $0.value) })
    }
}

/// What a remote agent graph answers: the replies and who wrote them.
public struct RemoteAnswer: Codable, Sendable, Hashable {
    public var replies: [Reply]
    public var agentType: AgentType
    public var confidence: Double?
    /// The conversation's memory to keep; absent keeps it unchanged.
    public var memory: ConversationMemory?
    /// `{"handoff": {"reason": "…"}}` or `{"consent": {"topic": "newsletter", "granted": false}}` items.
    public var actions: [Action]?

    public struct Action: Codable, Sendable, Hashable {
        public struct Handoff: Codable, Sendable, Hashable { public var reason: String }
        public struct Consent: Codable, Sendable, Hashable {
            public var topic: ConsentTopic
            public var granted: Bool
        }
        public var handoff: Handoff?
        public var consent: Consent?
    }

    enum CodingKeys: String, CodingKey {
        case replies
        case agentType = "agent_type"
        case confidence, memory, actions
    }
}
