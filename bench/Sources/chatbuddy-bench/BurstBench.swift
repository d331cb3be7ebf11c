import ArgumentParser
import AsyncHTTPClient
import Foundation

/// Every channel's webhook in a burst: acknowledge N signed webhooks as fast as the gateway takes them,
/// then time the drain until the last reply reached the fake platform API; on SQLite and, given a server,
/// on PostgreSQL. Prints the machine's cores and the load generator's own share of them.
struct BurstBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "burst",
        abstract: "Acknowledge a burst of webhooks on every channel, then time the replies' drain.")

    @OptionGroup var server: ServerOption

    @Option(help: "Channels measured, comma-separated (messenger, whatsapp, telegram, sms, email).")
    var channels = ChannelWebhooks.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Webhooks in each burst.")
    var webhooks = 3_000

    @Option(help: "Customers the webhooks come from; each writes once before the burst (the warm-up).")
    var customers = 300

    @Option(help: "Concurrent connections.")
    var connections = 32

    @Option(help: "running: the agents answer meanwhile; paused: AGENT_PAUSED, acknowledgement alone.")
    var pipeline = "running"

    @Option(help: "A PostgreSQL server's URL (a database is created per run), e.g. scripts/with-postgres.sh's TEST_DATABASE_URL; empty: SQLite only.")
    var postgres = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? ""

    func run() async throws {
        let chosen = try channels.split(separator: ",").map { name in
            guard let channel = ChannelWebhooks(rawValue: String(name)) else { throw BenchError("unknown channel \(name)") }
            return channel
        }
        guard ["running", "paused"].contains(pipeline) else { throw BenchError("--pipeline is running or paused") }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("\(cores) cores; per run \(customers) warm-up webhooks, then a burst of \(webhooks) over \(connections) connections; pipeline \(pipeline)")
        print("channel     database   acks/s   ack p50 ms   ack p99 ms   replies   drain after acks s   replies/s   gateway cores   load generator")
        for channel in chosen {
            for engine in postgres.isEmpty ? ["sqlite"] : ["sqlite", "postgres"] {
                let url = engine == "sqlite" ? nil : try await PostgresDatabases.fresh(on: postgres, prefix: "burst")
                let result = try await measure(channel, databaseURL: url)
                let replies = pipeline == "paused" ? "—" : "\(result.replies)"
                print(
                    channel.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + " " + engine.padding(toLength: 9, withPad: " ", startingAt: 0),
                    String(format: "%7.0f   %10.1f   %10.1f", result.acks, result.latency.p50 * 1000, result.latency.p99 * 1000),
                    replies.leftPadded(7),
                    pipeline == "paused" ? "                   —           —" : String(format: "%20.1f   %9.0f", result.drain, result.repliesPerSecond),
                    String(format: "   %13.2f   %13.0f %%", result.gatewayCores, result.loadShare * 100),
                    result.latency.failures > 0 ? "  (\(result.latency.failures) failed)" : "")
            }
        }
    }

    struct Result {
        var acks: Double
        var latency: Load.Latency
        var replies = 0
        var drain = 0.0
        var repliesPerSecond = 0.0
        var gatewayCores: Double
        var loadShare: Double
    }

    func measure(_ channel: ChannelWebhooks, databaseURL: String?) async throws -> Result {
        let peer = try await BenchPeer.start()
        var environment = channel.environment(peer: "http://127.0.0.1:\(peer.port)")
        environment["INBOUND_SENDER_PER_MINUTE"] = "1000000"
        environment["INBOUND_SENDER_BURST"] = "1000000"
        if pipeline == "paused" { environment["AGENT_PAUSED"] = "true" }
        if let databaseURL { environment["DATABASE_URL"] = databaseURL }
        let gateway = try GatewayProcess.start(executable: server.path, environment: environment)
        defer { gateway.stop() }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
        let bodies = WebhookBodies(channel.requests(count: customers + webhooks, customers: customers))

        let warmUp = try await Load.closedLoop(client: client, target: .gateway(gateway.port), bodies: bodies, offset: 0, count: customers, connections: connections).throughput
        guard warmUp.failures == 0 else { throw BenchError("\(warmUp.failures) warm-up webhooks were refused: \(gateway.folder.path)/server.log") }
        let warmReplies = pipeline == "paused" ? 0 : try await peer.waitForQuiet(.seconds(2)).count
        guard pipeline == "paused" || warmReplies > 0 else { throw BenchError("no replies to the warm-up") }

        let loadBefore = GatewayProcess.cpuSeconds(pid: "self", command: nil)
        let gatewayBefore = gateway.cpuSeconds
        let started = ContinuousClock.now
        let burst = try await Load.closedLoop(
            client: client, target: .gateway(gateway.port), bodies: bodies, offset: customers, count: webhooks, connections: connections)
        let acked = ContinuousClock.now
        let loadShare = (GatewayProcess.cpuSeconds(pid: "self", command: nil) - loadBefore) / ((acked - started).seconds * Double(ProcessInfo.processInfo.activeProcessorCount))
        var result = Result(acks: burst.throughput.perSecond, latency: burst.latency, gatewayCores: 0, loadShare: loadShare)
        if pipeline == "paused" {
            result.gatewayCores = (gateway.cpuSeconds - gatewayBefore) / (acked - started).seconds
        } else {
            let (count, last) = try await peer.waitForQuiet(.seconds(3), since: acked)
            result.replies = count - warmReplies
            result.drain = max(0, (last - acked).seconds)
            let elapsed = (max(last, acked) - started).seconds
            result.repliesPerSecond = Double(result.replies) / elapsed
            result.gatewayCores = (gateway.cpuSeconds - gatewayBefore) / elapsed
        }
        try await client.shutdown()
        await peer.stop()
        return result
    }
}

extension String {
    /// The text right-aligned in `width` characters.
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: " ", count: max(0, width - count)) + self
    }
}
