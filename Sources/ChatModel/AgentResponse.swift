/// What an agent answered to one event: the replies, who produced them, how sure it was, and what the
/// gateway should remember and change with them.
public struct AgentResponse: Codable, Sendable, Hashable {
    /// The replies to send, in order; empty when nothing should be said.
    public var replies: [Reply]
    public var agent: AgentType
    /// How sure the agent was that it understood the customer, from 0 to 1.
    public var confidence: Double
    /// The conversation's memory after this turn; nil leaves it as it was.
    public var memory: ConversationMemory?
    public var actions: [AgentAction]
    /// The nodes the turn went through, in order.
    public var trace: [NodeTrace]

    public init(
        replies: [Reply], agent: AgentType, confidence: Double, memory: ConversationMemory? = nil,
        actions: [AgentAction] = [], trace: [NodeTrace] = []
    ) {
        self.replies = replies
        self.agent = agent
        self.confidence = confidence
        self.memory = memory
        self.actions = actions
        self.trace = trace
    }

    /// No reply at all (for events that need none).
    public static func silent(_ agent: AgentType) -> AgentResponse {
        AgentResponse(replies: [], agent: agent, confidence: 1)
    }
}
