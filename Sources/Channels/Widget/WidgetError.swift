/// A widget frame or REST turn that cannot be taken, answered with an `error` frame (or a 4xx on REST).
public struct WidgetError: Error, Sendable, Hashable {
    /// The `error_type` names of docs/architecture.md §4.
    public enum Kind: String, Sendable, Hashable, Codable {
        case emptyMessage = "empty_message"
        case messageTooLong = "message_too_long"
        case invalidJSON = "invalid_json"
        case unknownType = "unknown_type"
        case rateLimited = "rate_limited"
        case invalidSession = "invalid_session"
        case unavailable = "unavailable"
        /// A `track` frame that is not an event the widget may report.
        case invalidEvent = "invalid_event"
    }

    public var kind: Kind
    /// A short reason for people.
    public var message: String
    /// When a rate-limited client may try again.
    public var retryAfter: Duration?

    public init(_ kind: Kind, _ message: String, retryAfter: Duration? = nil) {
        self.kind = kind
        self.message = message
        self.retryAfter = retryAfter
    }
}
