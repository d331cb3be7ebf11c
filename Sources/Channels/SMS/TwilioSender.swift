import AsyncHTTPClient
import Foundation
import NIOCore

/// Posts stored Messages API forms to `{api base}/2010-04-01/Accounts/{sid}/Messages.json` with basic auth.
public struct TwilioSender: ChannelSender {
    private let post: PlatformPost
    private let endpoint: String
    private let authorization: String

    public init(client: HTTPClient, apiBaseURL: String, accountSID: String, authToken: String, timeout: TimeAmount) {
        self.post = PlatformPost(client: client, timeout: timeout)
        self.endpoint = apiBaseURL.trimmingSuffix("/") + "/2010-04-01/Accounts/\(accountSID)/Messages.json"
        self.authorization = "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        await post.send(payload, to: endpoint, contentType: "application/x-www-form-urlencoded", authorization: authorization, outcome: Self.outcome)
    }

    private struct Message: Decodable { var sid: String? }

    private struct Failure: Decodable {
        var code: Int?
        var message: String?
    }

    /// 2xx carries the message's sid; error 21610 means the number opted out; 429 and 5xx are retried.
    static func outcome(_ answer: PlatformPost.Answer) -> DeliveryOutcome {
        if answer.succeeded {
            return .sent(platformMessageID: (try? JSONDecoder().decode(Message.self, from: answer.body))?.sid)
        }
        let failure = try? JSONDecoder().decode(Failure.self, from: answer.body)
        var reason = "HTTP \(answer.status.code)"
        if let code = failure?.code { reason += " code \(code)" }
        if let message = failure?.message { reason += ": \(message.prefix(200))" }
        if failure?.code.map(String.init) == TwilioWebhook.optedOutError { return .optedOut(reason: reason) }
        return answer.isTransient ? .retry(reason: reason, after: answer.retryAfter) : .rejected(reason: reason)
    }
}
