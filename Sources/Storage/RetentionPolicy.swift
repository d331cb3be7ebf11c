import Foundation

/// How long the store keeps what (`retention` in the configuration); a nil period keeps it for good.
public struct RetentionPolicy: Sendable, Hashable {
    /// Conversations without activity for this long go, with everything in them.
    public var conversations: Duration?
    /// Widget conversations whose visitor never wrote (no words, taps, files or places of their own) go sooner.
    public var silentWidgetSessions: Duration?
    /// Outbox rows sent (or withdrawn) this long ago go; the message itself stays in the conversation's history.
    public var deliveredPayloads: Duration?
    /// Rows deleted per transaction.
    public var batchSize = 200

    public init(conversations: Duration? = nil, silentWidgetSessions: Duration? = nil, deliveredPayloads: Duration? = nil) {
        self.conversations = conversations
        self.silentWidgetSessions = silentWidgetSessions
        self.deliveredPayloads = deliveredPayloads
    }
}

/// What one application of the retention policy deleted.
public struct RetentionOutcome: Sendable, Hashable {
    public var conversations = 0
    public var silentWidgetSessions = 0
    public var deliveredPayloads = 0
    /// Events the shop reported (carts, orders) as old as the conversations that go.
    public var shopEvents = 0
    /// Participants left without conversations (and without an opt-out or consent to keep), and customers left without participants.
    public var participants = 0
    public var customers = 0

    public init() {}
}
