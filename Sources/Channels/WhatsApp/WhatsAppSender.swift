import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts stored message bodies to `{graph base}/{phone number id}/messages` with the access token, at most
/// `messagesPerSecond` per number, and reads WhatsApp's error codes into retry or refusal (docs/channels.md §2.8).
public struct WhatsAppSender: ChannelSender {
    private let post: PlatformPost
    private let graphBaseURL: String
    private let accessToken: String
    private let limiter: SendRateLimiter
    private let templates: WhatsAppTemplates
    private let reengagementTemplate: String?

    /// `reengagementTemplate` names a template of `templates` without parameters, sent in place of a
    /// free-form message outside the 24-hour window.
    public init(
        client: HTTPClient, graphBaseURL: String, accessToken: String, timeout: TimeAmount, messagesPerSecond: Int = 80,
        templates: WhatsAppTemplates = WhatsAppTemplates(), reengagementTemplate: String? = nil
    ) {
        self.templates = templates
        self.reengagementTemplate = reengagementTemplate
        self.post = PlatformPost(client: client, timeout: timeout)
        self.graphBaseURL = graphBaseURL.trimmingSuffix("/")
        self.accessToken = accessToken
        self.limiter = SendRateLimiter(perSecond: messagesPerSecond)
    }

    /// Error codes worth another attempt: throughput and pair rate limits, app rate limits.
    static let retryCodes: Set<Int> = [130429, 131056, 80007, 4, 131000]
    /// The customer's 24-hour window has closed: only a template may be sent.
    public static let reengagementCode = 131047

    /// Sends `payload` from the business number `account` (the renderer put the recipient in the body).
    public func send(payload: String, account number: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        guard !number.isEmpty else { return .rejected(reason: "no WhatsApp phone number id for this conversation") }
        await limiter.wait(for: number)
        return await post.send(
            Self.stamped(payload, key: idempotencyKey) ?? payload, to: "\(graphBaseURL)/\(number)/messages", contentType: "application/json", authorization: "Bearer \(accessToken)",
            outcome: Self.outcome)
    }

    /// The statuses of a message carry its `biz_opaque_callback_data` back, with our key (docs/channels.md §7).
    public func confirmsSend(of payload: String) -> Bool {
        Self.stamped(payload, key: "") != nil
    }

    /// A message's body with the send's idempotency key as `biz_opaque_callback_data`; nil for bodies that are
    /// not messages (a read receipt), which get no statuses.
    static func stamped(_ payload: String, key: String) -> String? {
        guard payload.contains(#""to":"#) else { return nil }
        return ConfirmationStamp.prepending("biz_opaque_callback_data", key, to: payload)
    }

    /// The re-engagement template addressed to `recipient`, when one is configured; its delivery policy sends
    /// it in place of a free-form message outside the 24-hour window.
    public func reengagementPayload(recipient: String) -> String? {
        guard let name = reengagementTemplate, let body = templates.body(name, parameters: [], to: recipient) else { return nil }
        return body.json
    }

    struct Success: Decodable {
        struct Message: Decodable { var id: String }
        var messages: [Message]?
    }

    static func outcome(_ answer: PlatformPost.Answer) -> DeliveryOutcome {
        if answer.succeeded {
            return .sent(platformMessageID: (try? JSONDecoder().decode(Success.self, from: answer.body))?.messages?.first?.id)
        }
        let code = GraphResponse.code(answer)
        let reason = GraphResponse.reason(answer)
        if code == reengagementCode { return .needsTemplate(reason: reason) }
        if answer.isTransient || code.map(retryCodes.contains) == true { return .retry(reason: reason, after: answer.retryAfter) }
        return .rejected(reason: reason)
    }
}

/// Spaces sends per business number to at most `perSecond`.
actor SendRateLimiter {
    private let interval: Duration
    private var next: [String: ContinuousClock.Instant] = [:]

    init(perSecond: Int) {
        interval = .seconds(1) / max(1, perSecond)
    }

    /// Returns when the next send from `number` may go.
    func wait(for number: String) async {
        let now = ContinuousClock.now
        let slot = max(now, next[number] ?? now)
        next[number] = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}
