import ChatModel

/// One step of the agent graph: reads and changes the turn, and names the node to run next.
public protocol AgentNode: Sendable {
    /// The node's name, unique in its graph; a specialist's name is the `agent_type` it answers as.
    var name: String { get }
    func run(_ turn: inout Turn) async throws -> NodeStep
    /// How many earlier messages of the conversation the node reads (`turn.conversation.history`).
    var historyWanted: Int { get }
}

extension AgentNode {
    /// None: most nodes read the latest event and the agents' memory alone.
    public var historyWanted: Int { 0 }
}

/// What a node did and where the turn goes next.
public struct NodeStep: Sendable, Hashable {
    /// The node's word for what happened, recorded in the trace and the metrics.
    public var outcome: String
    /// The next node, or nil when the turn is finished.
    public var next: String?

    /// A step with `outcome` that goes on to `next` (nil ends the turn).
    public init(_ outcome: String, next: String?) {
        self.outcome = outcome
        self.next = next
    }
}
