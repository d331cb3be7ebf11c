import ChatModel
import Foundation

/// What a delivery decision knows about one outbox row and its conversation.
public struct DeliveryFacts: Sendable, Hashable {
    /// The customer's platform id.
    public var recipient: String
    /// Attempts already spent on the row.
    public var attempts: Int
    /// The customer's last message, which opens the platform's service window.
    public var lastInboundAt: Date?
    /// Whether the row is itself an approved template (which the window does not restrict).
    public var isTemplate: Bool
    /// Whether the row is a person's reply tagged `HUMAN_AGENT`, which its own, longer window restricts.
    public var isHumanAgentTagged = false
    /// Whether a re-engagement template was already sent since the customer's last message.
    public var reengagementSent: Bool
    /// Whether the participant opted out of the channel.
    public var optedOut: Bool
    /// The consent this marketing message needs, and whether the participant gave it.
    public var consentTopic: ConsentTopic?
    public var consentGranted: Bool

    public init(
        recipient: String, attempts: Int = 0, lastInboundAt: Date? = nil, isTemplate: Bool = false, reengagementSent: Bool = false,
        optedOut: Bool = false, consentTopic: ConsentTopic? = nil, consentGranted: Bool = false
    ) {
        self.recipient = recipient
        self.attempts = attempts
        self.lastInboundAt = lastInboundAt
        self.isTemplate = isTemplate
        self.reengagementSent = reengagementSent
        self.optedOut = optedOut
        self.consentTopic = consentTopic
        self.consentGranted = consentGranted
    }
}
