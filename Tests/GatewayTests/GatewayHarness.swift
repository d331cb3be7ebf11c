import AsyncHTTPClient
import Channels
import Foundation
import Gateway
import NIOCore
import NIOHTTP1
import Storage
import TestSupport
import Testing

/// A running gateway (real server on 127.0.0.1) wired to a fake Graph API, and an HTTP client for it.
struct GatewayHarness {
    static let appSecret = "3f7c9a2b1d4e6f8091a2b3c4d5e6f708"
    static let verifyToken = "verify-me-7f3a"
    static let pageToken = "EAAG-test-page-token"
    static let adminKey = "admin-test-key"
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = packageRoot.appendingPathComponent("templates").path
    static let demo = packageRoot.appendingPathComponent("demo").path

    /// Turns the demo content (page, offers, shop facts) on without importing its sample catalog.
    static func demoWithoutCatalog(_ config: inout GatewayConfig) {
        config.enableDemo(directory: demo)
        config.webshop.feed = nil
    }

    let baseURL: String
    let upstream: FakeUpstream

    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var body: String

        var json: NSDictionary {
            (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? NSDictionary ?? [:]
        }

        var errorCode: String? { (json["error"] as? NSDictionary)?["code"] as? String }
    }

    /// A configuration for tests: Messenger on the fake Graph API, quick retries, admin API open.
    static func config(graphURL: String, databaseURL: String) -> GatewayConfig {
        var config = GatewayConfig()
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.storage.url = databaseURL
        config.admin.apiKey = adminKey
        config.agent.templatesDirectory = templates
        config.widget?.staticDirectory = packageRoot.appendingPathComponent("public").path
        config.delivery.initialBackoff = .milliseconds(20)
        config.delivery.maxBackoff = .milliseconds(100)
        config.delivery.maxAttempts = 3
        config.delivery.requestTimeout = .seconds(5)
        var messenger = GatewayConfig.Messenger(verifyToken: verifyToken, appSecret: appSecret, pageAccessToken: pageToken)
        messenger.graphBaseURL = graphURL
        config.messenger = messenger
        return config
    }

    /// Starts a fake Graph API and a gateway on a fresh database of `engine`, runs `body`, stops both.
    static func run(
        engine: TestDatabase = .sqlite,
        upstream: FakeUpstream = FakeUpstream(),
        configure: (inout GatewayConfig) -> Void = { _ in },
        _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        let databaseURL = try await engine.makeURL()
        try await upstream.serve { graphURL in
            var config = config(graphURL: graphURL, databaseURL: databaseURL)
            configure(&config)
            try await run(config: config, upstream: upstream, body)
        }
    }

    /// Runs a gateway with exactly this configuration (used to restart on the same database).
    static func run(config: GatewayConfig, upstream: FakeUpstream, _ body: (GatewayHarness) async throws -> Void) async throws {
        try await Gateway.withStore(url: config.storage.url, logger: TestDatabase.logger) { store in
            try await LiveServer.run({ onRunning in
                try await Gateway.makeApplication(config: config, store: store, logger: TestDatabase.logger, onServerRunning: onRunning)
            }) { port in
                try await body(GatewayHarness(baseURL: "http://127.0.0.1:\(port)", upstream: upstream))
            }
        }
    }

    // MARK: Requests

    /// A client that shows redirects instead of following them: a test sees what the gateway answered.
    static let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))

    func request(_ method: HTTPMethod, _ path: String, headers: [(String, String)] = [], body: Data? = nil) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await Self.client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 16 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: bytes))
    }

    /// Posts a Messenger webhook signed as Meta signs it (unless a signature is given).
    func webhook(_ body: Data, signature: String? = nil) async throws -> Answer {
        let header = signature ?? MetaSignature(appSecret: Self.appSecret).header(for: body)
        return try await request(.POST, "/webhooks/messenger", headers: [("X-Hub-Signature-256", header), ("Content-Type", "application/json")], body: body)
    }

    func webhook(_ json: String) async throws -> Answer {
        try await webhook(Data(json.utf8))
    }

    /// A widget socket on `session`.
    func widget(_ session: String, query: String = "") -> WidgetTestClient {
        WidgetTestClient(baseURL: baseURL, session: session, query: query)
    }

    /// A REST turn: posts `body` (JSON) to `/api/v1/chat`.
    func chat(_ body: String, headers: [(String, String)] = []) async throws -> Answer {
        try await request(.POST, "/api/v1/chat", headers: [("Content-Type", "application/json")] + headers, body: Data(body.utf8))
    }

    /// The id of the (single) widget conversation, if there is one yet.
    func widgetConversationID() async throws -> Int? {
        let conversations = try await admin("/conversations?channel=widget")
        return ((conversations.json["items"] as? [NSDictionary])?.first)?["id"] as? Int
    }

    /// The messages of the widget conversation, newest first (none before it exists).
    func widgetMessages() async throws -> [NSDictionary] {
        guard let id = try await widgetConversationID() else { return [] }
        return try await admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
    }

    func admin(_ path: String, method: HTTPMethod = .GET) async throws -> Answer {
        try await request(method, "/api/v1/admin" + path, headers: [("Authorization", "Bearer \(Self.adminKey)")])
    }

    /// Posts an operator's message (`{"reply": {…}}`) to a conversation through the admin API.
    func operatorReply(conversation: Int, _ json: String) async throws -> Answer {
        try await request(
            .POST, "/api/v1/admin/conversations/\(conversation)/replies",
            headers: [("Authorization", "Bearer \(Self.adminKey)"), ("Content-Type", "application/json")], body: Data(json.utf8))
    }

    /// The messages, both ways, of the first conversation on `channel` (none before it exists).
    func messages(channel: String) async throws -> [NSDictionary] {
        let conversations = try await admin("/conversations?channel=\(channel)").json["items"] as? [NSDictionary] ?? []
        guard let id = conversations.first?["id"] as? Int else { return [] }
        return try await admin("/conversations/\(id)/messages?limit=100").json["items"] as? [NSDictionary] ?? []
    }

    /// Waits up to ten seconds for the messages of `channel`'s first conversation to meet `condition`.
    func waitForMessages(channel: String, _ condition: ([NSDictionary]) -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            if condition(try await messages(channel: channel)) { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("condition not met in time")
    }
}

/// Builders of Messenger webhook bodies.
enum Messenger {
    static let page = "106540352242922"

    /// Now, in Messenger's unit (milliseconds): replies to older messages may fall outside the 24-hour window.
    static func now() -> Int { Int(Date().timeIntervalSince1970 * 1000) }

    static func event(_ user: String, _ time: Int, _ inner: String) -> String {
        #"{"sender":{"id":"\#(user)"},"recipient":{"id":"\#(page)"},"timestamp":\#(time),\#(inner)}"#
    }

    static func text(_ mid: String, from user: String, _ text: String, at time: Int = now()) -> String {
        event(user, time, #""message":{"mid":"\#(mid)","text":"\#(text)"}"#)
    }

    static func quickReply(_ mid: String, from user: String, _ title: String, payload: String, at time: Int = now()) -> String {
        event(user, time, #""message":{"mid":"\#(mid)","text":"\#(title)","quick_reply":{"payload":"\#(payload)"}}"#)
    }

    /// A copy of a message the Page sent `user` (an echo), with `metadata` when the gateway sent it.
    static func echo(_ mid: String, to user: String, _ text: String, metadata: String? = nil, at time: Int = now()) -> String {
        let meta = metadata.map { #","metadata":"\#($0)""# } ?? ""
        return #"{"sender":{"id":"\#(page)"},"recipient":{"id":"\#(user)"},"timestamp":\#(time),"message":{"mid":"\#(mid)","is_echo":true,"app_id":263902037430900,"text":"\#(text)"\#(meta)}}"#
    }

    static func body(_ events: String...) -> String {
        body(entries: [events])
    }

    static func body(entries: [[String]]) -> String {
        let list = entries.map { #"{"id":"\#(page)","time":1732611450001,"messaging":[\#($0.joined(separator: ","))]}"# }
        return #"{"object":"page","entry":[\#(list.joined(separator: ","))]}"#
    }
}
