import ChatModel

/// Answers a conversation's latest event with channel-neutral replies.
public protocol Agent: Sendable {
    /// The replies to send, with the agent that produced them; no replies when nothing should be said.
    func respond(to state: ConversationState) async throws -> AgentResponse
}
