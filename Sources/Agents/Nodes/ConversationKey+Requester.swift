import ChatModel

extension ConversationKey {
    /// The participant as the order look-up counts failed verifications: the channel and the customer's
    /// id on it, the same in every conversation they have there.
    var requester: String {
        "\(channel.rawValue):\(userID)"
    }
}
