/// What happened to one send attempt.
public enum DeliveryOutcome: Sendable, Hashable {
    /// Accepted by the platform, with its message id when it returned one.
    case sent(platformMessageID: String?)
    /// Failed in a way that may pass later (timeouts, 429, 5xx); `after` is the platform's requested wait.
    case retry(reason: String, after: Duration?)
    /// Refused for good (4xx); retrying would not help.
    case rejected(reason: String)
    /// The customer is not connected; keep the message until they come back.
    case held(reason: String)
    /// The platform's service window is closed: only an approved template may be sent.
    case needsTemplate(reason: String)
    /// The recipient has opted out of the channel (SMS STOP): nothing more may be sent until they opt in.
    case optedOut(reason: String)
}

/// Sends one stored request body to a platform.
public protocol ChannelSender: Sendable {
    /// Sends `payload` from `account` (our page or number) to `recipient` (the customer's platform id);
    /// `idempotencyKey` is the same on every retry.
    func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome
    /// Whether the platform reports a send of `payload` back with its idempotency key (docs/channels.md §7), so
    /// a send whose outcome was lost in a crash is confirmed by that report rather than repeated.
    func confirmsSend(of payload: String) -> Bool
}

extension ChannelSender {
    public func confirmsSend(of payload: String) -> Bool { false }
}

/// A sender that delivers to clients connected right now (the website widget): it shows a message once
/// it is recorded as sent, and holds messages while nobody is connected.
public protocol LiveChannelSender: ChannelSender {
    /// Runs once a `.sent` outcome is committed: the message is shown now, after it is in the stored history,
    /// so a client that reconnects meanwhile finds it in one place or the other.
    func recordedSent(payload: String, recipient: String, idempotencyKey: String) async
    /// Whether a message answering `replyingTo` (any message, when nil) can reach `recipient` here now; asked again
    /// after a message was held, in case they just came back, and by gateways told another one held it.
    func isReachable(_ recipient: String, replyingTo: String?) -> Bool
    /// The customer message `payload` answers, when its listener may be a request waiting for just that answer.
    func replyTarget(of payload: String) -> String?
    /// Whether anyone of `recipient` is connected here, to be shown what another gateway sent them.
    func isListening(_ recipient: String) -> Bool
}
