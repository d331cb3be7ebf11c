import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Posts stored Messages API forms to `{api base}/2010-04-01/Accounts/{sid}/Messages.json` with basic auth.
public struct TwilioSender: ChannelSender {
    private let client: HTTPClient
    private let endpoint: String
    private let authorization: String
    private let timeout: TimeAmount

    public init(client: HTTPClient, apiBaseURL: String, accountSID: String, authToken: String, timeout: TimeAmount) {
        self.client = client
        self.endpoint = apiBaseURL.trimmingSuffix("/") + "/2010-04-01/Accounts/\(accountSID)/Messages.json"
        self.authorization = "Basic " + Data("\(accountSID):\(authToken)".utf8).base64EncodedString()
        self.timeout = timeout
    }

    public func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: authorization)
        request.body = .bytes(ByteBuffer(string: payload))
        do {
            let response = try await client.execute(request, timeout: timeout)
            let body = try await response.body.collect(upTo: 1 << 20)
            return Self.outcome(status: response.status, headers: response.headers, body: Data(body.readableBytesView))
        } catch {
            return .retry(reason: "transport: \(error)", after: nil)
        }
    }

    private struct Message: Decodable { var sid: String? }

    private struct Failure: Decodable {
        var code: Int?
        var message: String?
    }

    static func outcome(status: HTTPResponseStatus, headers: HTTPHeaders, body: Data) -> DeliveryOutcome {
        if (200..<300).contains(status.code) {
            return .sent(platformMessageID: (try? JSONDecoder().decode(Message.self, from: body))?.sid)
        }
        let failure = try? JSONDecoder().decode(Failure.self, from: body)
        var reason = "HTTP \(status.code)"
        if let code = failure?.code { reason += " code \(code)" }
        if let message = failure?.message { reason += ": \(message.prefix(200))" }
        if failure?.code.map(String.init) == TwilioWebhook.optedOutError { return .optedOut(reason: reason) }
        if status == .tooManyRequests || status.code >= 500 {
            return .retry(reason: reason, after: headers.first(name: "Retry-After").flatMap(GraphResponse.retryAfter))
        }
        return .rejected(reason: reason)
    }
}
