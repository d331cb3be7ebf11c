import ChatModel
import Foundation

/// Named nodes joined by the edges each node picks at run time: input guardrails, the coordinator, one
/// specialist, output guardrails. Runs a turn from the entry node until a node ends it.
public struct AgentGraph: Agent {
    /// The graph's wiring is wrong: a node is named twice, or an edge names a node that does not exist.
    public struct InvalidGraph: Error, CustomStringConvertible {
        public var description: String
    }

    /// The first node of every turn.
    public let entry: String
    private let nodes: [String: any AgentNode]
    /// Reads each event into a turn.
    public let understanding: Understanding
    /// Steps after which a turn is stopped (a node that loops is a bug, not a hang).
    private let maximumSteps = 16

    /// A graph of `nodes` starting at `entry`; `required` are node names that edges may lead to.
    public init(nodes: [any AgentNode], entry: String, required: [String] = [], understanding: Understanding) throws {
        var byName: [String: any AgentNode] = [:]
        for node in nodes {
            guard byName.updateValue(node, forKey: node.name) == nil else {
                throw InvalidGraph(description: "node \(node.name) is added twice")
            }
        }
        for name in [entry] + required where byName[name] == nil {
            throw InvalidGraph(description: "no node named \(name)")
        }
        self.entry = entry
        self.nodes = byName
        historyWanted = nodes.map(\.historyWanted).max() ?? 0
        self.understanding = understanding
    }

    /// The names of the graph's nodes.
    public var nodeNames: Set<String> { Set(nodes.keys) }

    /// As many earlier messages as its hungriest node reads.
    public let historyWanted: Int

    public func respond(to state: ConversationState) async throws -> AgentResponse {
        var turn = await understanding.turn(for: state)
        try await run(&turn)
        return turn.response
    }

    /// Runs `turn` through the graph from `start`, appending each node's step to its trace.
    public func run(_ turn: inout Turn, from start: String? = nil) async throws {
        var current: String? = start ?? entry
        var steps = 0
        while let name = current {
            guard let node = nodes[name] else { throw InvalidGraph(description: "an edge leads to \(name), which is not a node") }
            steps += 1
            guard steps <= maximumSteps else { throw InvalidGraph(description: "the turn did not end within \(maximumSteps) steps") }
            let started = ContinuousClock.now
            let step = try await node.run(&turn)
            let elapsed = ContinuousClock.now - started
            turn.trace.append(NodeTrace(node: name, outcome: step.outcome, milliseconds: elapsed.milliseconds))
            current = step.next
        }
    }
}

extension Duration {
    /// The duration in milliseconds, fractions kept.
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
