import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts stored mail/send bodies to `{api base}/v3/mail/send` with the API key; 202 means accepted.
public struct SendGridSender: ChannelSender {
    private let post: PlatformPost
    private let endpoint: String
    private let apiKey: String

    public init(client: HTTPClient, apiBaseURL: String, apiKey: String, timeout: TimeAmount) {
        self.post = PlatformPost(client: client, timeout: timeout)
        self.endpoint = apiBaseURL.trimmingSuffix("/") + "/v3/mail/send"
        self.apiKey = apiKey
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        await post.send(payload, to: endpoint, contentType: "application/json", authorization: "Bearer \(apiKey)") { answer in
            if answer.succeeded { return .sent(platformMessageID: answer.headers.first(name: "X-Message-Id")) }
            let detail = String(decoding: answer.body.prefix(200), as: UTF8.self)
            let reason = "HTTP \(answer.status.code)" + (detail.isEmpty ? "" : ": \(detail)")
            return answer.isTransient ? .retry(reason: reason, after: answer.retryAfter) : .rejected(reason: reason)
        }
    }
}
