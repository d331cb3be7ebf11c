import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts stored message bodies to `{graph base}/{phone number id}/messages` with the access token, at most
/// `messagesPerSecond` per number, and reads WhatsApp's error codes into retry or refusal (channels-spec §2.7).
public struct WhatsAppSender: ChannelSender {
    private let client: HTTPClient
    private let graphBaseURL: String
    private let accessToken: String
    private let timeout: TimeAmount
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
        self.client = client
        self.graphBaseURL = graphBaseURL.trimmingSuffix("/")
        self.accessToken = accessToken
        self.timeout = timeout
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
        var request = HTTPClientRequest(url: "\(graphBaseURL)/\(number)/messages")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
        request.body = .bytes(ByteBuffer(string: payload))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return Self.outcome(status: response.status, headers: response.headers, body: Data(body.readableBytesView))
        } catch {
            return .retry(reason: "transport: \(GraphResponse.describe(error))", after: nil)
        }
    }

    public func reengagementPayload(recipient: String) -> String? {
        guard let name = reengagementTemplate, let body = templates.body(name, parameters: [], to: recipient),
            let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    struct Success: Decodable {
        struct Message: Decodable { var id: String }
        var messages: [Message]?
    }

    static func outcome(status: HTTPResponseStatus, headers: HTTPHeaders, body: Data) -> DeliveryOutcome {
        if (200..<300).contains(status.code) {
            return .sent(platformMessageID: (try? JSONDecoder().decode(Success.self, from: body))?.messages?.first?.id)
        }
        let failure = try? JSONDecoder().decode(GraphResponse.Failure.self, from: body)
        let code = failure?.error.code
        var reason = "HTTP \(status.code)"
        if let code { reason += " code \(code)" }
        if let message = failure?.error.message { reason += ": \(message.prefix(200))" }
        if code == reengagementCode { return .needsTemplate(reason: reason) }
        if let code, retryCodes.contains(code) {
            return .retry(reason: reason, after: headers.first(name: "Retry-After").flatMap(GraphResponse.retryAfter))
        }
        if status == .tooManyRequests || status.code >= 500 {
            return .retry(reason: reason, after: headers.first(name: "Retry-After").flatMap(GraphResponse.retryAfter))
        }
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
