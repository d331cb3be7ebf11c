import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts stored Send API bodies to `{graph base}/me/messages` with the page token.
public struct MessengerSender: ChannelSender {
    private let client: HTTPClient
    private let endpoint: String
    private let pageAccessToken: String
    private let timeout: TimeAmount

    public init(client: HTTPClient, graphBaseURL: String, pageAccessToken: String, timeout: TimeAmount) {
        self.client = client
        self.endpoint = graphBaseURL.trimmingSuffix("/") + "/me/messages"
        self.pageAccessToken = pageAccessToken
        self.timeout = timeout
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(pageAccessToken)")
        request.body = .bytes(ByteBuffer(string: payload))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return GraphResponse.outcome(status: response.status, headers: response.headers, body: body)
        } catch {
            return .retry(reason: "transport: \(GraphResponse.describe(error))", after: nil)
        }
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

    static func outcome(status: HTTPResponseStatus, headers: HTTPHeaders, body: ByteBuffer) -> DeliveryOutcome {
        if (200..<300).contains(status.code) {
            let success = try? decoder.decode(Success.self, from: Data(body.readableBytesView))
            return .sent(platformMessageID: success?.messageId)
        }
        var reason = "HTTP \(status.code)"
        if let failure = try? decoder.decode(Failure.self, from: Data(body.readableBytesView)) {
            if let code = failure.error.code { reason += " code \(code)" }
            if let message = failure.error.message { reason += ": \(message.prefix(200))" }
        }
        if status == .tooManyRequests || status.code >= 500 {
            return .retry(reason: reason, after: headers.first(name: "Retry-After").flatMap(retryAfter))
        }
        return .rejected(reason: reason)
    }

    private static let decoder = JSONDecoder()

    /// Seconds or an HTTP date, as `Retry-After` allows.
    static func retryAfter(_ value: String) -> Duration? {
        if let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 {
            return .milliseconds(Int64(seconds * 1000))
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSinceNow) * 1000))
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return String(describing: error) }
        return String(describing: type(of: error))
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
