import ChatModel
import Foundation

/// The stored outbox payload of one widget answer: everything a `chat_response` frame carries except
/// the message id and the time it is pushed.
public struct WidgetReply: Codable, Sendable, Hashable {
    /// The customer's message this answers (its widget message id).
    public var inReplyTo: String
    /// The reply's words as plain text.
    public var content: String
    public var agentType: AgentType
    public var confidence: Double
    /// Seconds the agent took.
    public var processingTime: Double
    public var language: Language
    /// The channel-neutral reply: text, quick replies, cards, template, media.
    public var reply: Reply
    /// The agent graph's nodes the turn went through.
    public var nodes: [NodeTrace]?

    public init(
        inReplyTo: String, content: String, agentType: AgentType, confidence: Double, processingTime: Double,
        language: Language, reply: Reply, nodes: [NodeTrace]? = nil
    ) {
        self.nodes = nodes
        self.inReplyTo = inReplyTo
        self.content = content
        self.agentType = agentType
        self.confidence = confidence
        self.processingTime = processingTime
        self.language = language
        self.reply = reply
    }

    enum CodingKeys: String, CodingKey {
        case inReplyTo = "in_reply_to"
        case content
        case agentType = "agent_type"
        case confidence
        case processingTime = "processing_time"
        case language, reply, nodes
    }
}
