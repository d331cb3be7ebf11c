/// One step of a turn through the agent graph: which node ran, what it decided and how long it took.
public struct NodeTrace: Codable, Sendable, Hashable {
    public var node: String
    /// The node's own word for what happened (`passed`, `routed:order_status`, `answered`, `fallback`…).
    public var outcome: String
    public var milliseconds: Double

    public init(node: String, outcome: String, milliseconds: Double) {
        self.node = node
        self.outcome = outcome
        self.milliseconds = milliseconds
    }
}
