import Foundation
import TestSupport
import Testing

/// Runs the real `chatbuddy` executable, kills it with SIGKILL mid-flight, and starts it again.
@Suite("Crash recovery of the real executable")
struct CrashRecoveryTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("after kill -9, every acknowledged webhook is answered exactly once")
    func killNine() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = "sqlite:" + folder.appendingPathComponent("gateway.sqlite").path

        let down = FakeUpstream()
        await down.enqueue(Array(repeating: .init(status: 503), count: 1000))
        try await down.serve { graphURL in
            let server = try ServerProcess.start(root: Self.root, graphURL: graphURL, databaseURL: database)
            defer { server.kill() }
            let gateway = GatewayHarness(baseURL: "http://127.0.0.1:\(server.port)", upstream: down)
            for body in RestartTests.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
            _ = try await down.waitForRequests(3)
            server.kill()
        }

        let up = FakeUpstream()
        try await up.serve { graphURL in
            // A 503 not yet recorded when the gateway died leaves its send in doubt: no echo comes, so it goes again after the wait.
            let server = try ServerProcess.start(
                root: Self.root, graphURL: graphURL, databaseURL: database, environment: ["DELIVERY_CONFIRMATION_WAIT_MS": "1000"])
            defer { server.kill() }
            let gateway = GatewayHarness(baseURL: "http://127.0.0.1:\(server.port)", upstream: up)
            for body in RestartTests.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
            let sent = try await up.waitForRequests(3)
            try await Task.sleep(for: .milliseconds(500))
            #expect(await up.requests.count == 3)
            #expect(Set(sent.map { ($0.json["recipient"] as? NSDictionary)?["id"] as? String ?? "" }) == Set(RestartTests.users))
            #expect(server.terminate() == 0)
        }
    }
}

extension CrashRecoveryTests {
    @Test("SQLite serves one process: a second serve of the same file exits, naming the file and the first one's pid")
    func secondServeOnSQLite() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-lock-\(UUID().uuidString)")
        let path = folder.appendingPathComponent("gateway.sqlite").path
        let up = FakeUpstream()
        try await up.serve { graphURL in
            let first = try ServerProcess.start(root: Self.root, graphURL: graphURL, databaseURL: "sqlite:" + path)
            do {
                let second = try ServerProcess.start(root: Self.root, graphURL: graphURL, databaseURL: "sqlite:" + path)
                second.kill()
                Issue.record("a second serve of \(path) started")
            } catch let refused as ServerProcess.DidNotStart {
                #expect(refused.log.contains("\(path) is already served by another chatbuddy serve (pid \(first.pid))"), "\(refused.log)")
                #expect(refused.status == 1)
            }
            #expect(first.terminate() == 0)
            // Once the first one stopped, the file can be served again.
            let third = try ServerProcess.start(root: Self.root, graphURL: graphURL, databaseURL: "sqlite:" + path)
            #expect(third.terminate() == 0)
        }
    }
}

extension CrashRecoveryTests {
    @Test("killed mid-send: replies the platform confirms (Messenger echoes) are not sent again; the one it never confirms is sent once more after the wait")
    func sendsInDoubt() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-doubt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = "sqlite:" + folder.appendingPathComponent("gateway.sqlite").path
        let wait = 10.0
        let environment = ["DELIVERY_CONFIRMATION_WAIT_MS": String(Int(wait * 1000))]
        // The platform takes each of the first three sends but answers too late: the gateway dies first.
        let platform = FakeUpstream()
        await platform.enqueue(Array(repeating: .init(status: 200, body: #"{"message_id":"m_late"}"#, delay: .seconds(5)), count: 3))
        try await platform.serve { graphURL in
            let first = try ServerProcess.start(root: Self.root, graphURL: graphURL, databaseURL: database, environment: environment)
            defer { first.kill() }
            let gateway = GatewayHarness(baseURL: "http://127.0.0.1:\(first.port)", upstream: platform)
            for body in RestartTests.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
            let sent = try await platform.waitForRequests(3)
            let killedAt = Date()
            first.kill()

            // Meta delivers the echoes of two of them once the gateway is back; the third is never confirmed.
            let second = try ServerProcess.start(root: Self.root, graphURL: graphURL, databaseURL: database, environment: environment)
            defer { second.kill() }
            let restarted = GatewayHarness(baseURL: "http://127.0.0.1:\(second.port)", upstream: platform)
            func metadata(_ request: FakeUpstream.Request) -> String {
                ((request.json["message"] as? NSDictionary)?["metadata"] as? String) ?? ""
            }
            func recipient(_ request: FakeUpstream.Request) -> String {
                ((request.json["recipient"] as? NSDictionary)?["id"] as? String) ?? ""
            }
            #expect(sent.allSatisfy { metadata($0).hasPrefix("gw:chatbuddy:messenger:") })
            for (index, request) in sent.prefix(2).enumerated() {
                let echo = Messenger.body(Messenger.echo("m_echo_\(index)", to: recipient(request), "szia", metadata: metadata(request)))
                #expect(try await restarted.webhook(echo).status == 200)
            }
            // Past the wait, counted from the sends: only the unconfirmed reply went again, the same request.
            try await Task.sleep(for: .seconds(max(0, wait + 2 - Date().timeIntervalSince(killedAt))))
            let requests = await platform.requests
            #expect(requests.count == 4, "\(requests.map(recipient))")
            if requests.count == 4 {
                #expect(recipient(requests[3]) == recipient(sent[2]))
                #expect(requests[3].body == sent[2].body)
            }
            let metrics = try await restarted.request(.GET, "/metrics").body
            #expect(metrics.contains(#"chatbuddy_sends_in_doubt_total{channel="messenger",result="confirmed"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"chatbuddy_sends_in_doubt_total{channel="messenger",result="resent"} 1"#))
            #expect(second.terminate() == 0)
        }
    }
}

/// The `chatbuddy serve` process, on a free port, logging to a file.
final class ServerProcess: Sendable {
    let port: Int
    private let process: Process
    var pid: Int32 { process.processIdentifier }

    private init(port: Int, process: Process) {
        self.port = port
        self.process = process
    }

    /// Starts `executable` (the debug build's unless given) with the repository's `webhooks.yml`.
    static func start(
        root: URL, graphURL: String, databaseURL: String, executable: URL? = nil, directory: URL? = nil, environment: [String: String] = [:]
    ) throws -> ServerProcess {
        let executable = executable ?? root.appendingPathComponent(".build/debug/chatbuddy")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve", "--config", root.appendingPathComponent("webhooks.yml").path]
        process.currentDirectoryURL = directory ?? root
        process.environment = [
            "HOST": "127.0.0.1", "PORT": "0", "DATABASE_URL": databaseURL, "LOG_LEVEL": "info",
            "MESSENGER_VERIFY_TOKEN": GatewayHarness.verifyToken, "MESSENGER_APP_SECRET": GatewayHarness.appSecret,
            "MESSENGER_PAGE_ACCESS_TOKEN": GatewayHarness.pageToken, "META_GRAPH_BASE_URL": graphURL,
        ].merging(environment) { _, given in given }
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return ServerProcess(port: port, process: process) }
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        throw DidNotStart(log: (try? String(contentsOf: log, encoding: .utf8)) ?? "", status: process.terminationStatus)
    }

    /// SIGKILL: no draining, no cleanup.
    func kill() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, and the exit status once it stopped.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    struct DidNotStart: Error, CustomStringConvertible {
        var log: String
        var status: Int32
        var description: String { "chatbuddy did not start:\n\(log)" }
    }
}
