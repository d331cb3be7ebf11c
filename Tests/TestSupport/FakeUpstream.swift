import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A platform API stand-in on 127.0.0.1: records every request and answers from a script, then with
/// a success carrying a fresh message id.
public actor FakeUpstream {
    /// One request as the fake received it.
    public struct Request: Sendable {
        public var method: String
        public var path: String
        public var headers: [String: String]
        public var body: String
        public var receivedAt: ContinuousClock.Instant

        /// A header's value, by case-insensitive name.
        public func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }

        /// The body parsed as a JSON object.
        public var json: NSDictionary {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? NSDictionary ?? [:]
        }
    }

    /// A scripted answer.
    public struct Answer: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: String
        /// How long to wait before answering (a slow upstream).
        public var delay: Duration?
        /// How long to stall after the headers and the body's first byte, before the rest (a hung upstream).
        public var stallBody: Duration?

        public init(status: Int, headers: [String: String] = [:], body: String = "{}", delay: Duration? = nil, stallBody: Duration? = nil) {
            self.status = status
            self.headers = headers
            self.body = body
            self.delay = delay
            self.stallBody = stallBody
        }
    }

    private var recorded: [Request] = []
    private var acceptedRequests: [Request] = []
    private var script: [Answer] = []
    private var sent = 0

    public init() {}

    /// Answers to give, in order, before falling back to success.
    public func enqueue(_ answers: [Answer]) {
        script += answers
    }

    public var requests: [Request] { recorded }
    /// The requests answered with a success: what the platform took.
    public var accepted: [Request] { acceptedRequests }

    /// Drops the answers still scripted: from now on every request succeeds (the platform is back).
    public func clearScript() {
        script.removeAll()
    }

    /// Waits until at least `count` requests arrived (or fails after `timeout`).
    public func waitForRequests(_ count: Int, timeout: Duration = .seconds(10)) async throws -> [Request] {
        let deadline = ContinuousClock.now + timeout
        while recorded.count < count {
            guard ContinuousClock.now < deadline else { throw TimedOut(expected: count, got: recorded.count) }
            try await Task.sleep(for: .milliseconds(10))
        }
        return recorded
    }

    fileprivate func handle(_ request: Request) -> Answer {
        recorded.append(request)
        if !script.isEmpty {
            let answer = script.removeFirst()
            if (200..<300).contains(answer.status) { acceptedRequests.append(request) }
            return answer
        }
        acceptedRequests.append(request)
        sent += 1
        return Answer(status: 200, body: #"{"recipient_id":"r","message_id":"m_sent_\#(sent)"}"#)
    }

    /// Runs the fake on a free port for the length of `body`, which gets its base URL.
    public nonisolated func serve<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let router = Router()
        router.on("**", method: .post) { request, _ in try await self.respond(to: request) }
        router.on("**", method: .get) { request, _ in try await self.respond(to: request) }
        return try await LiveServer.run({ onRunning in
            Application(
                router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: onRunning, logger: TestDatabase.logger)
        }) { port in
            try await body("http://127.0.0.1:\(port)")
        }
    }

    private nonisolated func respond(to request: Hummingbird.Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let answer = await handle(Request(
            method: request.method.rawValue, path: request.uri.description, headers: headers,
            body: String(buffer: body), receivedAt: .now))
        if let delay = answer.delay { try await Task.sleep(for: delay) }
        var response = Response(
            status: .init(code: answer.status), body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        if let stall = answer.stallBody {
            let bytes = Array(answer.body.utf8)
            response.body = ResponseBody { writer in
                try await writer.write(ByteBuffer(bytes: bytes.prefix(1)))
                try? await Task.sleep(for: stall)
                try await writer.write(ByteBuffer(bytes: bytes.dropFirst()))
                try await writer.finish(nil)
            }
        }
        response.headers[.contentType] = "application/json"
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var expected: Int
        public var got: Int
        public var description: String { "expected \(expected) upstream requests, got \(got)" }
    }
}
