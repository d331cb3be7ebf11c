import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts stored mail/send bodies to `{api base}/v3/mail/send` with the API key; 202 means accepted.
public struct SendGridSender: ChannelSender {
    private let client: HTTPClient
    private let endpoint: String
    private let apiKey: String
    private let timeout: TimeAmount

    public init(client: HTTPClient, apiBaseURL: String, apiKey: String, timeout: TimeAmount) {
        self.client = client
        self.endpoint = apiBaseURL.trimmingSuffix("/") + "/v3/mail/send"
        self.apiKey = apiKey
        self.timeout = timeout
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.body = .bytes(ByteBuffer(string: payload))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            if (200..<300).contains(response.status.code) {
                return .sent(platformMessageID: response.headers.first(name: "X-Message-Id"))
            }
            let detail = String(buffer: body).prefix(200)
            let reason = "HTTP \(response.status.code)" + (detail.isEmpty ? "" : ": \(detail)")
            if response.status == .tooManyRequests || response.status.code >= 500 {
                return .retry(reason: reason, after: response.headers.first(name: "Retry-After").flatMap(GraphResponse.retryAfter))
            }
            return .rejected(reason: reason)
        } catch {
            return .retry(reason: "transport: \(error)", after: nil)
        }
    }
}
