import AsyncHTTPClient
import HTTPCall
import Foundation
import NIOCore
import NIOHTTP1

/// One POST of a stored request body to a platform's API; each sender reads the answer its own way.
struct PlatformPost: Sendable {
    /// What the platform answered.
    struct Answer {
        var status: HTTPResponseStatus
        var headers: HTTPHeaders
        var body: Data

        var succeeded: Bool { (200..<300).contains(status.code) }
        /// 429 and 5xx: the same request may pass later.
        var isTransient: Bool { status == .tooManyRequests || status.code >= 500 }
        /// The wait the platform asked for.
        var retryAfter: Duration? { headers.first(name: "Retry-After").flatMap(PlatformPost.retryAfter) }
    }

    let client: HTTPClient
    /// The deadline of the whole request: connection, headers and body.
    let timeout: TimeAmount

    /// Posts `body` to `url` and reads the answer with `outcome`; a transport failure (timeout, refused
    /// connection) is worth another try.
    func send(
        _ body: String, to url: String, contentType: String, authorization: String?, outcome: (Answer) -> DeliveryOutcome
    ) async -> DeliveryOutcome {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        if let authorization { request.headers.add(name: "Authorization", value: authorization) }
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let answer = try await client.call(request, deadline: .nanoseconds(timeout.nanoseconds), maxBodyBytes: 1 << 20)
            return outcome(Answer(status: answer.status, headers: answer.headers, body: Data(answer.body.readableBytesView)))
        } catch {
            return .retry(reason: "transport: \(Self.describe(error))", after: nil)
        }
    }

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

    /// A transport error named without its details (which may hold addresses or tokens).
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return String(describing: error) }
        if let error = error as? HTTPCallTimeout { return String(describing: error) }
        return String(describing: type(of: error))
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
