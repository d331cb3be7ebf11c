import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts stored mail/send bodies to `{api base}/v3/mail/send` with the API key; 202 means accepted.
public struct SendGridSender: ChannelSender {
    private let post: PlatformPost
    private let endpoint: String
    private let apiKey: String
    /// Whether the signed Event Webhook reports our mail back to the gateway.
    private let eventsReported: Bool

    public init(client: HTTPClient, apiBaseURL: String, apiKey: String, timeout: TimeAmount, eventsReported: Bool = false) {
        self.post = PlatformPost(client: client, timeout: timeout)
        self.endpoint = apiBaseURL.trimmingSuffix("/") + "/v3/mail/send"
        self.apiKey = apiKey
        self.eventsReported = eventsReported
    }

    /// Every event about a mail carries its `custom_args`, with our key, when the Event Webhook is set up.
    public func confirmsSend(of payload: String) -> Bool {
        eventsReported && Self.stamped(payload, key: "") != nil
    }

    /// The mail with the send's idempotency key in its `custom_args` (docs/channels.md §7).
    static func stamped(_ payload: String, key: String) -> String? {
        ConfirmationStamp.prepending("custom_args", [SendGridEvents.outboxArgument: key], to: payload)
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        await post.send(Self.stamped(payload, key: idempotencyKey) ?? payload, to: endpoint, contentType: "application/json", authorization: "Bearer \(apiKey)") { answer in
            if answer.succeeded { return .sent(platformMessageID: answer.headers.first(name: "X-Message-Id")) }
            let detail = String(decoding: answer.body.prefix(200), as: UTF8.self)
            let reason = "HTTP \(answer.status.code)" + (detail.isEmpty ? "" : ": \(detail)")
            return answer.isTransient ? .retry(reason: reason, after: answer.retryAfter) : .rejected(reason: reason)
        }
    }
}
