import ChatModel

/// A widget conversation gone quiet after our answer, which a nudge may follow.
public struct SilentConversation: Sendable, Hashable {
    /// The `kind` of a nudge message: a nudge is never followed by another one.
    public static let nudgeKind = "nudge"

    public var conversationID: ConversationID
    public var key: ConversationKey
    public var locale: Language?
    /// The answer the silence followed; one nudge per silence is keyed by it.
    public var lastMessageID: MessageID
}
