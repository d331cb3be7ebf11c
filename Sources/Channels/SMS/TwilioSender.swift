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
        let stamped = Self.stamped(payload, key: idempotencyKey) ?? payload
        return await post.send(stamped, to: endpoint, contentType: "application/x-www-form-urlencoded", authorization: authorization, outcome: Self.outcome)
    }

    /// Twilio's status callbacks come to the `StatusCallback` of the send, whose query names our key.
    public func confirmsSend(of payload: String) -> Bool {
        Self.stamped(payload, key: "") != nil
    }

    /// The form with the send's idempotency key in its `StatusCallback` URL (`?outbox=KEY`, docs/channels.md §7);
    /// nil when the form asks for no status callbacks.
    static func stamped(_ payload: String, key: String) -> String? {
        var fields = FormEncoding.decode(payload)
        guard let index = fields.firstIndex(where: { $0.0 == "StatusCallback" }), !fields[index].1.isEmpty else { return nil }
        let value = key.addingPercentEncoding(withAllowedCharacters: keyCharacters) ?? key
        fields[index].1 += (fields[index].1.contains("?") ? "&" : "?") + "\(outboxParameter)=" + value
        return FormEncoding.encode(fields)
    }

    /// The query parameter of our status callback URL that names the outbox row.
    public static let outboxParameter = "outbox"

    private static let keyCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:")

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
