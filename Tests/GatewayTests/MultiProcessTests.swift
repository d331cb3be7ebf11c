import Foundation
import TestSupport
import Testing

/// Three real `chatbuddy serve` processes on one PostgreSQL behind a (simulated) balancer; one is killed
/// with SIGKILL mid-run and the platform sends what it could not deliver to the others.
@Suite("Several gateway processes on one PostgreSQL")
struct MultiProcessTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("one of three killed with kill -9: every message is answered exactly once, in order", arguments: TestDatabase.engines.filter { $0 == .postgres })
    func killOneOfThree(engine: TestDatabase) async throws {
        let database = try await engine.makeURL()
        let upstream = FakeUpstream()
        // The platform is down at first: replies wait in the outbox, claimed and retried, when one gateway dies.
        await upstream.enqueue(Array(repeating: .init(status: 503, delay: .milliseconds(300)), count: 100_000))
        let customers = (0..<10).map { "K\($0)" }
        let script = MultiGatewayTests.script
        try await upstream.serve { graphURL in
            // One after another: the first migrates the database.
            var servers: [ServerProcess] = []
            for _ in 0..<3 { servers.append(try ServerProcess.start(root: Self.root, graphURL: graphURL, databaseURL: database)) }
            defer { servers.forEach { $0.kill() } }
            let gateways = servers.map { GatewayHarness(baseURL: "http://127.0.0.1:\($0.port)", upstream: upstream) }
            var alive = [true, true, true]
            for (index, text) in script.enumerated() {
                if index == 1 {
                    // Mid-run, with sends in flight: the first gateway dies with its claims, taken over when their leases run out.
                    _ = try await upstream.waitForRequests(customers.count)
                    servers[0].kill()
                    alive[0] = false
                }
                for (number, customer) in customers.enumerated() {
                    let body = Messenger.body(Messenger.text("\(customer)-\(index)", from: customer, text))
                    var target = (number + index) % 3
                    // The platform retries a webhook it could not deliver on another gateway.
                    if !alive[target] { target = (target + 1) % 3 }
                    #expect(try await gateways[target].webhook(body).status == 200)
                }
            }
            await upstream.clearScript()
            let expected = customers.count * script.count
            let deadline = ContinuousClock.now + .seconds(90)
            while await upstream.accepted.count < expected, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(100))
            }
            try await Task.sleep(for: .seconds(2))
            let accepted = await upstream.accepted
            #expect(accepted.count == expected, "every message answered once, none twice")
            for customer in customers {
                let texts = accepted.filter { ($0.json["recipient"] as? NSDictionary)?["id"] as? String == customer }
                    .map { (($0.json["message"] as? NSDictionary)?["text"] as? String) ?? "" }
                #expect(texts.count == 3 && texts[1].lowercased().contains("rendelés") && !texts[0].lowercased().contains("rendelés"), "\(customer): \(texts)")
            }
            for server in servers.dropFirst() { #expect(server.terminate() == 0) }
        }
    }
}
