import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Calls the Bot API with stored requests: `POST {base}/bot<token>/<method>` with the parameters as
/// JSON, at most `messagesPerSecond` calls a second for the bot (docs/channels.md §6.3, §6.4).
public struct TelegramSender: ChannelSender {
    private let post: PlatformPost
    /// `{base}/bot<token>/`; never logged, since the token is in it.
    private let endpoint: String
    private let limiter: SendRateLimiter

    public init(client: HTTPClient, apiBaseURL: String, botToken: String, timeout: TimeAmount, messagesPerSecond: Int = 30) {
        self.post = PlatformPost(client: client, timeout: timeout)
        self.endpoint = apiBaseURL.trimmingSuffix("/") + "/bot" + botToken + "/"
        self.limiter = SendRateLimiter(perSecond: messagesPerSecond)
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        guard let request = try? JSONDecoder().decode(TelegramRequest.self, from: Data(payload.utf8)),
            request.method.allSatisfy({ $0.isLetter }), let body = try? JSONEncoder().encode(request.params)
        else { return .rejected(reason: "the stored Telegram request cannot be read") }
        await limiter.wait(for: account)
        // Telegram takes the token in the path, not in a header.
        return await post.send(
            String(decoding: body, as: UTF8.self), to: endpoint + request.method, contentType: "application/json", authorization: nil,
            outcome: Self.outcome)
    }

    struct Answer: Decodable {
        struct Result: Decodable { var messageID: Int64?; enum CodingKeys: String, CodingKey { case messageID = "message_id" } }
        struct Parameters: Decodable { var retryAfter: Int?; enum CodingKeys: String, CodingKey { case retryAfter = "retry_after" } }
        var ok: Bool?
        var result: Result?
        var errorCode: Int?
        var description: String?
        var parameters: Parameters?

        enum CodingKeys: String, CodingKey { case ok, result, errorCode = "error_code", description, parameters }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            ok = try container.decodeIfPresent(Bool.self, forKey: .ok)
            // `result` is a message for the send methods and `true` for answerCallbackQuery.
            result = try? container.decodeIfPresent(Result.self, forKey: .result)
            errorCode = try container.decodeIfPresent(Int.self, forKey: .errorCode)
            description = try container.decodeIfPresent(String.self, forKey: .description)
            parameters = try container.decodeIfPresent(Parameters.self, forKey: .parameters)
        }
    }

    /// What a Bot API answer of `status` and `body` means for the send.
    public static func outcome(status: HTTPResponseStatus, body: String) -> DeliveryOutcome {
        outcome(PlatformPost.Answer(status: status, headers: [:], body: Data(body.utf8)))
    }

    /// 2xx is sent; 429 waits `retry_after`; 5xx and transport failures retry; other 4xx are refused for good.
    static func outcome(_ answer: PlatformPost.Answer) -> DeliveryOutcome {
        let decoded = try? JSONDecoder().decode(Answer.self, from: answer.body)
        if answer.succeeded, decoded?.ok != false {
            return .sent(platformMessageID: decoded?.result?.messageID.map(String.init))
        }
        var reason = "HTTP \(answer.status.code)"
        if let description = decoded?.description { reason += ": \(description.prefix(200))" }
        if answer.status == .tooManyRequests {
            let wait = decoded?.parameters?.retryAfter.map { Duration.seconds($0) } ?? answer.retryAfter
            return .retry(reason: reason, after: wait)
        }
        return answer.isTransient ? .retry(reason: reason, after: answer.retryAfter) : .rejected(reason: reason)
    }
}
