import ChatModel

/// Hands the conversation to a human: the gateway switches it to human mode and records the request for
/// operators; the customer is told someone will answer.
struct HandoffNode: AgentNode {
    let name = AgentType.handoff.rawValue
    let resources: AgentResources

    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.answeredBy = .handoff
        turn.memory.awaiting = nil
        let reason = turn.text.isEmpty ? (turn.payload ?? "handoff") : turn.text
        turn.actions.append(.handoff(reason: String(reason.prefix(500))))
        turn.say(resources.text("handoff_started", turn.language))
        return NodeStep("requested", next: "output_guardrails")
    }
}
