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
}

/// Sends one stored request body to a platform.
public protocol ChannelSender: Sendable {
    /// Sends `payload` to `recipient` (the customer's platform id); `idempotencyKey` is the same on every retry.
    func send(payload: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome
}
