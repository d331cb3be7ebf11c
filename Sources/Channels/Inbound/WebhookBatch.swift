import ChatModel

/// The events of one verified webhook notification, and the kinds it carried that the gateway does not handle.
public struct WebhookBatch: Sendable, Hashable {
    public var events: [InboundEvent] = []
    /// Names of ignored kinds (an unknown `object`, `standby`, `status:played`, …), one per occurrence.
    public var ignored: [String] = []

    public init(events: [InboundEvent] = [], ignored: [String] = []) {
        self.events = events
        self.ignored = ignored
    }
}

/// A signed body that is not a notification of the platform; the reason is safe to show the caller.
public struct MalformedWebhookBody: Error, Hashable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    public init(reason: String) {
        self.reason = reason
    }
}
