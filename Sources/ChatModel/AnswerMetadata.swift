/// How an answer was made, stored with each outbound message: the agent, its confidence and the
/// graph nodes the turn went through.
public struct AnswerMetadata: Codable, Sendable, Hashable {
    public var agentType: AgentType
    public var confidence: Double
    public var nodes: [NodeTrace]
    /// The person who wrote it, for an operator's message.
    public var operatorName: String?

    public init(agentType: AgentType, confidence: Double, nodes: [NodeTrace], operatorName: String? = nil) {
        self.agentType = agentType
        self.confidence = confidence
        self.nodes = nodes
        self.operatorName = operatorName
    }

    enum CodingKeys: String, CodingKey {
        case agentType = "agent_type"
        case operatorName = "operator"
        case confidence, nodes
    }
}
