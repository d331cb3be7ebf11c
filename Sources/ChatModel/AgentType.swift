/// The agent that answered a turn (DESIGN §4 `agent_type`).
public enum AgentType: String, Codable, Sendable, Hashable, CaseIterable {
    case productInfo = "product_info"
    case orderStatus = "order_status"
    case recommendation
    case marketing
    case general
    /// A human operator was asked for.
    case handoff
}
