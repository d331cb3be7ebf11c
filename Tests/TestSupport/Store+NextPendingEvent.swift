import Storage

extension Store {
    /// The oldest unhandled event of a conversation, as the runner's next batch would start.
    public func nextPendingEvent(conversationID: ConversationID) async throws -> PendingInbound? {
        try await pendingEvents(conversationID: conversationID, limit: 1).first
    }
}
