import AsyncHTTPClient
import Foundation
import HTTPCall
import NIOCore

/// Registers the gateway's webhook with Telegram (`setWebhook`, docs/channels.md §6.1): the address,
/// the secret Telegram sends back in every update, and the update kinds the gateway reads.
public struct TelegramWebhookRegistration: Sendable {
    public let apiBaseURL: String
    public let botToken: String

    /// The update kinds the gateway reads; Telegram sends no others.
    public static let allowedUpdates = ["message", "edited_message", "callback_query"]

    public init(apiBaseURL: String, botToken: String) {
        self.apiBaseURL = apiBaseURL
        self.botToken = botToken
    }

    /// What Telegram answered: whether it took the webhook, and its description.
    public struct Result: Sendable, Hashable {
        public var ok: Bool
        public var description: String
    }

    /// Calls `setWebhook` with `url` and `secret`; throws only when Telegram cannot be reached.
    public func register(url: String, secret: String, client: HTTPClient, timeout: Duration = .seconds(10)) async throws -> Result {
        struct Body: Encodable {
            var url: String
            var secretToken: String
            var allowedUpdates: [String]
            enum CodingKeys: String, CodingKey { case url, secretToken = "secret_token", allowedUpdates = "allowed_updates" }
        }
        struct Answer: Decodable {
            var ok: Bool?
            var description: String?
        }
        var request = HTTPClientRequest(url: apiBaseURL.trimmingSuffix("/") + "/bot" + botToken + "/setWebhook")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(Body(url: url, secretToken: secret, allowedUpdates: Self.allowedUpdates))))
        let response = try await client.call(request, deadline: timeout, maxBodyBytes: 1 << 16)
        let answer = try? JSONDecoder().decode(Answer.self, from: Data(response.body.readableBytesView))
        let ok = (200..<300).contains(response.status.code) && answer?.ok == true
        return Result(ok: ok, description: answer?.description ?? "HTTP \(response.status.code)")
    }
}
