import ChatModel

/// Answers a conversation's latest event with channel-neutral replies.
public protocol Agent: Sendable {
    /// The replies to send, with the agent that produced them; no replies when nothing should be said.
    func respond(to state: ConversationState) async throws -> AgentResponse
    /// How many earlier messages of the conversation the agent reads from `ConversationState.history`; the runner
    /// reads no more than that from the store.
    var historyWanted: Int { get }
}

extension Agent {
    /// All that the gateway's `agent.history_limit` allows.
    public var historyWanted: Int { .max }
}
