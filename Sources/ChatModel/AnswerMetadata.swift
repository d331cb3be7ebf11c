/// How an answer was made, stored with each outbound message: the agent, its confidence and the
/// graph nodes the turn went through.
public struct AnswerMetadata: Codable, Sendable, Hashable {
    public var agentType: AgentType
    public var confidence: Double
    public var nodes: [NodeTrace]

    public init(agentType: AgentType, confidence: Double, nodes: [NodeTrace]) {
        self.agentType = agentType
        self.confidence = confidence
        self.nodes = nodes
    }

    enum CodingKeys: String, CodingKey {
        case agentType = "agent_type"
        case confidence, nodes
    }
}
