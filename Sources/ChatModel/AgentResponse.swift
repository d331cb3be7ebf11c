/// What an agent answered to one event: the replies, who produced them and how sure it was.
public struct AgentResponse: Codable, Sendable, Hashable {
    /// The replies to send, in order; empty when nothing should be said.
    public var replies: [Reply]
    public var agent: AgentType
    /// How sure the agent was that it understood the customer, from 0 to 1.
    public var confidence: Double

    public init(replies: [Reply], agent: AgentType, confidence: Double) {
        self.replies = replies
        self.agent = agent
        self.confidence = confidence
    }

    /// No reply at all (for events that need none).
    public static func silent(_ agent: AgentType) -> AgentResponse {
        AgentResponse(replies: [], agent: agent, confidence: 1)
    }
}
