import Foundation

/// One channel's delivery rules: its service window, what replaces a free-form message once the window
/// has closed, and how failed sends are retried. Its decisions read only the facts and the clock.
public struct DeliveryPolicy: Sendable {
    /// How long after the customer's last message free-form messages may be sent; nil: no window.
    public var serviceWindow: Duration?
    /// Whether a closed window means an approved template instead (WhatsApp) rather than silence.
    public var templatesAfterWindow: Bool
    /// The re-engagement template for a recipient, when one is configured.
    public var reengagement: (@Sendable (_ recipient: String) -> String?)?
    /// How long after the customer's last message a person's reply tagged `HUMAN_AGENT` may still be
    /// sent (Messenger: 7 days); nil: the channel has no such tag.
    public var humanAgentWindow: Duration?
    /// Message tags whose messages (an order's update, never marketing) no window restricts (Messenger:
    /// `POST_PURCHASE_UPDATE`).
    public var updateTags: Set<String> = []
    /// Attempts a row gets before it is dead-lettered.
    public var maxAttempts: Int
    public var backoff: Backoff

    public init(
        serviceWindow: Duration? = nil, templatesAfterWindow: Bool = false,
        reengagement: (@Sendable (_ recipient: String) -> String?)? = nil, maxAttempts: Int, backoff: Backoff
    ) {
        self.serviceWindow = serviceWindow
        self.templatesAfterWindow = templatesAfterWindow
        self.reengagement = reengagement
        self.maxAttempts = maxAttempts
        self.backoff = backoff
    }

    /// The policy of a channel that is not enabled: every row is dead-lettered.
    public static func disabled(_ name: String) -> DeliveryPolicy {
        var policy = DeliveryPolicy(maxAttempts: 1, backoff: Backoff(initial: .zero, maximum: .zero))
        policy.disabledReason = "channel \(name) is disabled"
        return policy
    }

    private var disabledReason: String?

    /// Whether `payload` is an approved template (on a channel that has them), which no window restricts.
    public func isTemplate(_ payload: String) -> Bool {
        templatesAfterWindow && payload.contains(#""type":"template""#)
    }

    /// Whether `payload` goes with one of the `updateTags`, which no window restricts.
    public func isUpdateTagged(_ payload: String) -> Bool {
        updateTags.contains { payload.contains(#""tag":""# + $0 + #"""#) }
    }

    /// Whether `payload` is a person's reply tagged `HUMAN_AGENT` (on a channel that has the tag).
    public func isHumanAgentTagged(_ payload: String) -> Bool {
        humanAgentWindow != nil && payload.contains(#""tag":"HUMAN_AGENT""#)
    }

    /// Whether a person's reply to a customer who last wrote at `lastInboundAt` must go tagged `HUMAN_AGENT`:
    /// the channel has the tag and the service window has closed.
    public func needsHumanAgentTag(lastInboundAt: Date?, now: Date) -> Bool {
        humanAgentWindow != nil && windowClosed(DeliveryFacts(recipient: "", lastInboundAt: lastInboundAt), now: now)
    }

    /// The window that applies to the row: the human agent window for a tagged reply, else the service window.
    private func window(_ facts: DeliveryFacts) -> Duration? {
        facts.isHumanAgentTagged ? humanAgentWindow : serviceWindow
    }

    /// Whether the row falls outside its window at `now`; a template is never restricted.
    public func windowClosed(_ facts: DeliveryFacts, now: Date) -> Bool {
        guard let window = window(facts), !facts.isTemplate, let last = facts.lastInboundAt else { return false }
        return now.timeIntervalSince(last) > window / .seconds(1)
    }

    /// Whether a decision may need `facts.reengagementSent` (asked of the store only then).
    public func needsReengagementFact(_ facts: DeliveryFacts, now: Date) -> Bool {
        templatesAfterWindow && windowClosed(facts, now: now)
    }

    /// What to do with a row before sending it.
    public func beforeSend(_ facts: DeliveryFacts, now: Date) -> DeliveryAction {
        if let disabledReason { return .deadLetter(reason: disabledReason) }
        if windowClosed(facts, now: now), let window = window(facts) {
            let reason = facts.isHumanAgentTagged
                ? "outside the \(Int(window / .seconds(3600)))-hour human agent window"
                : "outside the \(Int(window / .seconds(3600)))-hour service window"
            return templatesAfterWindow ? afterWindow(facts, reason: reason) : .suppress(reason: reason)
        }
        if facts.optedOut { return .suppress(reason: "the recipient has opted out") }
        if let topic = facts.consentTopic, !facts.consentGranted { return .suppress(reason: "no \(topic.rawValue) consent") }
        return .send
    }

    /// What to do with a row after the platform answered `outcome` to this attempt.
    public func afterSend(_ outcome: DeliveryOutcome, _ facts: DeliveryFacts) -> DeliveryAction {
        let attempts = facts.attempts + 1
        switch outcome {
        case .sent(let platformMessageID):
            return .recordSent(platformMessageID: platformMessageID)
        case .retry(let reason, let retryAfter):
            guard attempts < maxAttempts else { return .deadLetter(reason: reason) }
            return .retry(reason: reason, after: backoff.delay(afterAttempt: attempts, retryAfter: retryAfter))
        case .rejected(let reason):
            return .deadLetter(reason: reason)
        case .needsTemplate(let reason):
            return afterWindow(facts, reason: reason)
        case .optedOut(let reason):
            return .optOut(reason: reason)
        case .held(let reason):
            return .hold(reason: reason)
        }
    }

    /// A free-form row the platform will not take because the window has closed: the re-engagement
    /// template in its place (once per window), or the row waits for one.
    private func afterWindow(_ facts: DeliveryFacts, reason: String) -> DeliveryAction {
        if !facts.isTemplate, !facts.reengagementSent, let template = reengagement?(facts.recipient) {
            return .sendTemplate(payload: template)
        }
        return .awaitTemplate(reason: reason)
    }
}
