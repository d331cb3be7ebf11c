/// The agent that answered a turn (docs/architecture.md §4 `agent_type`): the name of the graph node that wrote the reply.
public struct AgentType: RawRepresentable, Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static let productInfo: AgentType = "product_info"
    public static let orderStatus: AgentType = "order_status"
    public static let recommendation: AgentType = "recommendation"
    public static let marketing: AgentType = "marketing"
    public static let general: AgentType = "general"
    /// A human operator was asked for, or answered.
    public static let handoff: AgentType = "handoff"
}
