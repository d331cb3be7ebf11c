import ChatModel

/// Answers a conversation's latest event with channel-neutral replies.
public protocol Agent: Sendable {
    /// The replies to send, in order; empty when nothing should be said.
    func respond(to state: ConversationState) async throws -> [Reply]
}
