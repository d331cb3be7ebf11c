import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts stored Send API bodies to `{graph base}/me/messages` with the page token.
public struct MessengerSender: ChannelSender {
    private let post: PlatformPost
    private let endpoint: String
    private let pageAccessToken: String

    public init(client: HTTPClient, graphBaseURL: String, pageAccessToken: String, timeout: TimeAmount) {
        self.post = PlatformPost(client: client, timeout: timeout)
        self.endpoint = graphBaseURL.trimmingSuffix("/") + "/me/messages"
        self.pageAccessToken = pageAccessToken
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        let stamped = MessengerSendRequest.stamped(payload, key: idempotencyKey) ?? payload
        return await post.send(stamped, to: endpoint, contentType: "application/json", authorization: "Bearer \(pageAccessToken)") { answer in
            GraphResponse.outcome(answer)
        }
    }

    /// The `message_echoes` event of a message carries its `metadata` back, with our key in it.
    public func confirmsSend(of payload: String) -> Bool {
        MessengerSendRequest.stamped(payload, key: "") != nil
    }
}

/// Reads a Graph API answer into a delivery outcome (shared by the Meta channels).
enum GraphResponse {
    struct Success: Decodable {
        var messageId: String?

        enum CodingKeys: String, CodingKey { case messageId = "message_id" }
    }

    struct Failure: Decodable {
        struct Detail: Decodable {
            var message: String?
            var code: Int?
        }
        var error: Detail
    }

    static func outcome(_ answer: PlatformPost.Answer) -> DeliveryOutcome {
        if answer.succeeded {
            return .sent(platformMessageID: (try? decoder.decode(Success.self, from: answer.body))?.messageId)
        }
        let reason = self.reason(answer)
        return answer.isTransient ? .retry(reason: reason, after: answer.retryAfter) : .rejected(reason: reason)
    }

    /// "HTTP 400 code 131026: Message undeliverable".
    static func reason(_ answer: PlatformPost.Answer) -> String {
        var reason = "HTTP \(answer.status.code)"
        if let failure = try? decoder.decode(Failure.self, from: answer.body) {
            if let code = failure.error.code { reason += " code \(code)" }
            if let message = failure.error.message { reason += ": \(message.prefix(200))" }
        }
        return reason
    }

    /// The Graph API's error code, when the answer carries one.
    static func code(_ answer: PlatformPost.Answer) -> Int? {
        (try? decoder.decode(Failure.self, from: answer.body))?.error.code
    }

    private static let decoder = JSONDecoder()
}
