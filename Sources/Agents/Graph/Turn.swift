import ChatModel
import Foundation

/// The typed state one turn carries through the graph: what the customer said, what was understood,
/// what the conversation remembers, and the answer being built.
public struct Turn: Sendable {
    /// The conversation as the gateway handed it over.
    public let conversation: ConversationState
    /// The language to answer in.
    public var language: Language
    /// The customer's words (a tapped choice's title), as sent.
    public var text: String
    /// `text` folded and cleaned for matching.
    public var normalized: NormalizedText
    /// The payload of a tapped quick reply or button.
    public var payload: String?
    /// Order numbers, contacts, budget, size, colour, brand, audience found in `text`.
    public var slots: Slots
    /// How much of the text names a product of the catalog (1: some product is named by every word).
    public var catalogCoverage: Double = 0
    /// When a model wrote the answer: the numbers it was given (tools, shop facts, the customer's words),
    /// the only ones the answer may state (docs/architecture.md §2.1).
    public var modelFacts: Set<String>?
    public var memory: ConversationMemory
    /// The coordinator's decision: the node chosen and how sure it was.
    public var route: Route?
    public var replies: [Reply] = []
    /// The node that wrote the replies.
    public var answeredBy: AgentType = .general
    public var confidence: Double = 1
    public var actions: [AgentAction] = []
    public var trace: [NodeTrace] = []
    /// False once the input guardrails saw an attempt to steer a language model; the turn then stays embedded.
    public var modelAllowed = true
    /// The order whose details the replies show, for the output guardrails to check it was verified.
    public var disclosedOrder: String?
    /// When the turn is answered (sale prices and idle times depend on it).
    public var now: Date

    public init(
        conversation: ConversationState, language: Language, text: String, normalized: NormalizedText, payload: String?,
        slots: Slots, now: Date
    ) {
        self.conversation = conversation
        self.language = language
        self.text = text
        self.normalized = normalized
        self.payload = payload
        self.slots = slots
        self.memory = conversation.memory
        self.now = now
    }

    /// The coordinator's choice of node.
    public struct Route: Sendable, Hashable {
        public var node: String
        public var confidence: Double
        /// What decided it: `classifier`, `payload`, `awaiting`, `follow_up`, `clarify`.
        public var reason: String
    }

    /// The turn's answer as the gateway stores it.
    public var response: AgentResponse {
        var memory = memory
        if !replies.isEmpty { memory.lastAgent = answeredBy }
        return AgentResponse(
            replies: replies, agent: answeredBy, confidence: confidence,
            memory: memory == conversation.memory ? nil : memory, actions: actions, trace: trace)
    }

    /// Adds a reply of plain text.
    public mutating func say(_ text: String, quickReplies: [QuickReply]? = nil) {
        replies.append(Reply(text: text, quickReplies: quickReplies))
    }
}
