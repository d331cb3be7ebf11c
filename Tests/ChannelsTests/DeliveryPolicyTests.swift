import Channels
import ChatModel
import Foundation
import Testing

/// The delivery rules as decisions: a table of facts and clocks, each with the action it must give.
@Suite("Delivery policy decisions")
struct DeliveryPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let backoff = Backoff(initial: .seconds(1), maximum: .seconds(60))
    static let template = #"{"type":"template","template":{"name":"hello"}}"#

    /// Messenger-like: a 24-hour window and silence after it.
    static let windowed = DeliveryPolicy(serviceWindow: .seconds(24 * 3600), maxAttempts: 3, backoff: backoff)
    /// WhatsApp-like: a 24-hour window, then the re-engagement template.
    static let templated = DeliveryPolicy(
        serviceWindow: .seconds(24 * 3600), templatesAfterWindow: true, reengagement: { "template-for-\($0)" }, maxAttempts: 3,
        backoff: backoff)
    /// WhatsApp-like with no re-engagement template configured.
    static let templatedWithoutReengagement = DeliveryPolicy(
        serviceWindow: .seconds(24 * 3600), templatesAfterWindow: true, maxAttempts: 3, backoff: backoff)
    /// Messenger itself: the 24-hour window, and 7 days for a person's reply tagged HUMAN_AGENT.
    static let messenger: DeliveryPolicy = {
        var policy = windowed
        policy.humanAgentWindow = .seconds(7 * 24 * 3600)
        return policy
    }()
    /// SMS, e-mail, the widget: no window.
    static let open = DeliveryPolicy(maxAttempts: 3, backoff: backoff)

    static func facts(
        hoursSinceInbound: Double? = 1, isTemplate: Bool = false, reengagementSent: Bool = false, optedOut: Bool = false,
        consent: ConsentTopic? = nil, granted: Bool = false, attempts: Int = 0, humanAgent: Bool = false
    ) -> DeliveryFacts {
        var facts = DeliveryFacts(
            recipient: "R1", attempts: attempts, lastInboundAt: hoursSinceInbound.map { now.addingTimeInterval(-$0 * 3600) },
            isTemplate: isTemplate, reengagementSent: reengagementSent, optedOut: optedOut, consentTopic: consent, consentGranted: granted)
        facts.isHumanAgentTagged = humanAgent
        return facts
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var policy: DeliveryPolicy
        var facts: DeliveryFacts
        var expected: DeliveryAction
        var testDescription: String { name }
    }

    static let beforeSendCases: [Case] = [
        Case(name: "inside the window: send", policy: windowed, facts: facts(hoursSinceInbound: 23.9), expected: .send),
        Case(name: "no inbound message yet: send", policy: windowed, facts: facts(hoursSinceInbound: nil), expected: .send),
        Case(
            name: "Messenger after the window: suppressed", policy: windowed, facts: facts(hoursSinceInbound: 24.1),
            expected: .suppress(reason: "outside the 24-hour service window")),
        Case(
            name: "WhatsApp after the window: the re-engagement template", policy: templated, facts: facts(hoursSinceInbound: 30),
            expected: .sendTemplate(payload: "template-for-R1")),
        Case(
            name: "WhatsApp after the window, template already sent in it: wait for a template", policy: templated,
            facts: facts(hoursSinceInbound: 30, reengagementSent: true), expected: .awaitTemplate(reason: "outside the 24-hour service window")),
        Case(
            name: "WhatsApp after the window, no template configured: wait for one", policy: templatedWithoutReengagement,
            facts: facts(hoursSinceInbound: 30), expected: .awaitTemplate(reason: "outside the 24-hour service window")),
        Case(
            name: "a template itself is not held by the window", policy: templated, facts: facts(hoursSinceInbound: 300, isTemplate: true),
            expected: .send),
        Case(name: "no window on SMS: send after days", policy: open, facts: facts(hoursSinceInbound: 500), expected: .send),
        Case(
            name: "a person's HUMAN_AGENT reply after 24 hours, within 7 days: send", policy: messenger,
            facts: facts(hoursSinceInbound: 150, humanAgent: true), expected: .send),
        Case(
            name: "a person's HUMAN_AGENT reply after 7 days: suppressed", policy: messenger, facts: facts(hoursSinceInbound: 169, humanAgent: true),
            expected: .suppress(reason: "outside the 168-hour human agent window")),
        Case(
            name: "an untagged reply on Messenger after 24 hours: suppressed", policy: messenger, facts: facts(hoursSinceInbound: 25),
            expected: .suppress(reason: "outside the 24-hour service window")),
        Case(
            name: "opted out: suppressed", policy: open, facts: facts(optedOut: true), expected: .suppress(reason: "the recipient has opted out")),
        Case(
            name: "marketing without consent: suppressed", policy: open, facts: facts(consent: .newsletter),
            expected: .suppress(reason: "no newsletter consent")),
        Case(name: "marketing with consent: send", policy: open, facts: facts(consent: .newsletter, granted: true), expected: .send),
        Case(
            name: "the window is checked before consent", policy: windowed, facts: facts(hoursSinceInbound: 48, optedOut: true),
            expected: .suppress(reason: "outside the 24-hour service window")),
        Case(
            name: "a disabled channel: dead-lettered", policy: .disabled("telegram"), facts: facts(),
            expected: .deadLetter(reason: "channel telegram is disabled")),
    ]

    @Test("before a send", arguments: beforeSendCases)
    func beforeSend(_ row: Case) {
        #expect(row.policy.beforeSend(row.facts, now: Self.now) == row.expected)
    }

    struct OutcomeCase: Sendable, CustomTestStringConvertible {
        var name: String
        var policy: DeliveryPolicy
        var outcome: DeliveryOutcome
        var facts: DeliveryFacts
        var expected: DeliveryAction
        var testDescription: String { name }
    }

    static let afterSendCases: [OutcomeCase] = [
        OutcomeCase(
            name: "sent: recorded with the platform's id", policy: open, outcome: .sent(platformMessageID: "m.1"), facts: facts(),
            expected: .recordSent(platformMessageID: "m.1")),
        OutcomeCase(
            name: "rejected: dead-lettered at once", policy: open, outcome: .rejected(reason: "400 bad"), facts: facts(),
            expected: .deadLetter(reason: "400 bad")),
        OutcomeCase(
            name: "transient on the last attempt: dead-lettered", policy: open, outcome: .retry(reason: "503", after: nil),
            facts: facts(attempts: 2), expected: .deadLetter(reason: "503")),
        OutcomeCase(
            name: "opted out at the platform: recorded and suppressed", policy: open, outcome: .optedOut(reason: "21610"), facts: facts(),
            expected: .optOut(reason: "21610")),
        OutcomeCase(
            name: "the visitor is away: held", policy: open, outcome: .held(reason: "not connected"), facts: facts(),
            expected: .hold(reason: "not connected")),
        OutcomeCase(
            name: "the platform says the window closed: the re-engagement template", policy: templated,
            outcome: .needsTemplate(reason: "131047"), facts: facts(), expected: .sendTemplate(payload: "template-for-R1")),
        OutcomeCase(
            name: "the template itself refused for the window: wait", policy: templated, outcome: .needsTemplate(reason: "131047"),
            facts: facts(isTemplate: true), expected: .awaitTemplate(reason: "131047")),
    ]

    @Test("after a send", arguments: afterSendCases)
    func afterSend(_ row: OutcomeCase) {
        #expect(row.policy.afterSend(row.outcome, row.facts) == row.expected)
    }

    @Test("a transient failure is retried after the backoff, never sooner than the platform's Retry-After")
    func retryAfterBackoff() throws {
        for attempts in 0..<2 {
            let action = Self.open.afterSend(.retry(reason: "429", after: nil), Self.facts(attempts: attempts))
            guard case .retry(let reason, let after) = action else {
                Issue.record("expected a retry, got \(action)")
                continue
            }
            #expect(reason == "429")
            let base = Duration.seconds(1 << attempts)
            #expect(after >= base / 2 && after <= base, "attempt \(attempts + 1): \(after)")
        }
        let asked = Self.open.afterSend(.retry(reason: "429", after: .seconds(30)), Self.facts())
        guard case .retry(_, let after) = asked else { throw Failure("expected a retry, got \(asked)") }
        #expect(after == .seconds(30))
    }

    @Test("only a template channel recognises template bodies")
    func templateBodies() {
        #expect(Self.templated.isTemplate(Self.template))
        #expect(!Self.windowed.isTemplate(#"{"attachment":{"type":"template","payload":{}}}"#), "Messenger cards are not templates")
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}

extension DeliveryPolicyTests {
    @Test("only a Messenger-style policy reads a payload as tagged HUMAN_AGENT")
    func humanAgentPayload() {
        let tagged = #"{"messaging_type":"MESSAGE_TAG","tag":"HUMAN_AGENT","message":{"text":"Szia"}}"#
        #expect(Self.messenger.isHumanAgentTagged(tagged))
        #expect(!Self.messenger.isHumanAgentTagged(#"{"messaging_type":"RESPONSE","message":{"text":"Szia"}}"#))
        #expect(!Self.windowed.isHumanAgentTagged(tagged), "a channel without the tag has no longer window")
    }
}

extension DeliveryPolicyTests {
    @Test("a person's reply needs the HUMAN_AGENT tag only after the service window, on a channel that has the tag")
    func humanAgentTagNeeded() {
        #expect(!Self.messenger.needsHumanAgentTag(lastInboundAt: Self.now.addingTimeInterval(-23 * 3600), now: Self.now))
        #expect(Self.messenger.needsHumanAgentTag(lastInboundAt: Self.now.addingTimeInterval(-25 * 3600), now: Self.now))
        #expect(!Self.windowed.needsHumanAgentTag(lastInboundAt: Self.now.addingTimeInterval(-25 * 3600), now: Self.now))
        #expect(!Self.messenger.needsHumanAgentTag(lastInboundAt: nil, now: Self.now))
    }
}
