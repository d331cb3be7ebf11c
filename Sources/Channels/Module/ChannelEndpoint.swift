import ChatModel

/// An HTTP endpoint a channel serves besides its webhook: an unsubscribe link, an operator's look-up of
/// a platform's media. The gateway serves it with the same request and error shapes as webhooks.
public struct ChannelEndpoint: Sendable {
    /// Who may call it.
    public enum Access: Sendable, Hashable {
        /// Anyone (a customer's click); `path` is absolute.
        case open
        /// Operators with the admin key; `path` is below `/api/v1/admin`.
        case admin
    }

    public var method: WebhookRoute.Method
    /// The path, with `{name}` for a parameter (`/whatsapp/media/{id}`).
    public var path: String
    public var access: Access
    /// The largest body read.
    public var maxBodyBytes: Int
    /// Answers the request; the path's parameters are in `request.query` under their names.
    public var handle: @Sendable (WebhookRequest, ChannelServices) async throws(WebhookRejection) -> WebhookReply

    public init(
        _ method: WebhookRoute.Method, _ path: String, access: Access, maxBodyBytes: Int = 4096,
        handle: @escaping @Sendable (WebhookRequest, ChannelServices) async throws(WebhookRejection) -> WebhookReply
    ) {
        self.method = method
        self.path = path
        self.access = access
        self.maxBodyBytes = maxBodyBytes
        self.handle = handle
    }
}

/// What the gateway lets a channel's endpoints do.
public struct ChannelServices: Sendable {
    /// Records a participant's yes or no to a kind of marketing; false when the participant is unknown.
    public var setConsent: @Sendable (ConversationKey, ConsentTopic, Bool) async throws -> Bool

    public init(setConsent: @escaping @Sendable (ConversationKey, ConsentTopic, Bool) async throws -> Bool) {
        self.setConsent = setConsent
    }
}
