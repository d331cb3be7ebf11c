import ArgumentParser
import AsyncHTTPClient
import Channels
import Foundation
import Hummingbird
import NIOCore

/// The benchmarks of a release build: webhook ingest (the default), every channel's bursts, the website widget, and the catalog.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbuddy-bench",
        abstract: "Benchmarks of a release chatbuddy (bounded in requests and time).",
        subcommands: [WebhookBench.self, WidgetBench.self, CatalogBench.self, AgentsBench.self, ChannelsBench.self, StemmerBench.self, SpellingBench.self, ScalingBench.self, BurstBench.self],
        defaultSubcommand: WebhookBench.self)
}

/// Ingest benchmark: signed Messenger webhooks against a release `chatbuddy serve` on SQLite, next to a
/// bare Hummingbird route in the same run. Prints throughput and ack latency for both, their ratio, the
/// machine's cores, the gateway's and the load generator's CPU, and (pipeline running) the end-to-end rate.
struct WebhookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Measure webhook ingest against a bare Hummingbird route.")

    @OptionGroup var server: ServerOption

    @Option(help: "Requests in each throughput run.")
    var requests = 20_000

    @Option(help: "Concurrent connections in the throughput run.")
    var connections = 32

    @Option(help: "Requests per second in the latency run.")
    var rate = 1_000

    @Option(help: "Seconds of the latency run.")
    var seconds = 5

    @Option(help: "running: the agents answer meanwhile; paused: AGENT_PAUSED, acknowledgement alone.")
    var pipeline = "running"

    func run() async throws {
        guard ["running", "paused"].contains(pipeline) else { throw BenchError("--pipeline is running or paused") }
        let paused = pipeline == "paused"
        let peer = try await BenchPeer.start()
        let gateway = try GatewayProcess.start(executable: server.path, environment: [
            "MESSENGER_VERIFY_TOKEN": "bench", "MESSENGER_APP_SECRET": WebhookBodies.appSecret,
            "MESSENGER_PAGE_ACCESS_TOKEN": "bench-token", "META_GRAPH_BASE_URL": "http://127.0.0.1:\(peer.port)",
            // Each of the bench's 500 senders sends dozens of messages within seconds: lift the per-sender rate.
            "INBOUND_SENDER_PER_MINUTE": "1000000", "INBOUND_SENDER_BURST": "1000000",
        ].merging(paused ? ["AGENT_PAUSED": "true"] : [:]) { $1 })
        defer { gateway.stop() }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))

        let bodies = WebhookBodies(count: 2_000 + requests + rate * seconds)
        print("warming up…")
        _ = try await Load.closedLoop(client: client, target: .bare(peer.port), bodies: bodies, offset: 0, count: 2_000, connections: connections)
        _ = try await Load.closedLoop(client: client, target: .gateway(gateway.port), bodies: bodies, offset: 0, count: 2_000, connections: connections)
        var answered = 2_000
        if !paused { _ = try await peer.waitForReplies(answered) }

        let bareThroughput = try await Load.closedLoop(client: client, target: .bare(peer.port), bodies: bodies, offset: 2_000, count: requests, connections: connections).throughput
        let started = ContinuousClock.now
        let loadBefore = GatewayProcess.cpuSeconds(pid: "self", command: nil)
        let gatewayBefore = gateway.cpuSeconds
        let gatewayThroughput = try await Load.closedLoop(client: client, target: .gateway(gateway.port), bodies: bodies, offset: 2_000, count: requests, connections: connections).throughput
        let acked = ContinuousClock.now
        let cores = ProcessInfo.processInfo.activeProcessorCount
        // The bench process: the load generator and the fake Graph API.
        let loadShare = (GatewayProcess.cpuSeconds(pid: "self", command: nil) - loadBefore) / ((acked - started).seconds * Double(cores))
        let gatewayCores = (gateway.cpuSeconds - gatewayBefore) / (acked - started).seconds
        answered += requests
        // Every webhook gets one reply: the pipeline has caught up when the fake Graph API has them all.
        let endToEnd = paused ? nil : Double(requests) / (try await peer.waitForReplies(answered) - started).seconds
        // The gateway's CPU for each webhook of the closed loop, replies included when the pipeline runs: steadier
        // than the rates while the machine's load drifts.
        let cpuPerWebhook = (gateway.cpuSeconds - gatewayBefore) / Double(requests)

        let latencyCount = rate * seconds
        let offset = 2_000 + requests
        let bareLatency = try await Load.openLoop(client: client, target: .bare(peer.port), bodies: bodies, offset: offset, count: latencyCount, rate: rate)
        let gatewayLatency = try await Load.openLoop(client: client, target: .gateway(gateway.port), bodies: bodies, offset: offset, count: latencyCount, rate: rate)
        answered += latencyCount
        if !paused { _ = try await peer.waitForReplies(answered) }

        print("")
        print("\(cores) cores; pipeline \(pipeline); closed loop: \(requests) webhooks over \(connections) connections; open loop: \(rate) webhooks/s for \(seconds) s")
        print("target           acks/s   ack p50 ms   ack p99 ms")
        for (name, throughput, latency) in [("bare route", bareThroughput, bareLatency), ("chatbuddy", gatewayThroughput, gatewayLatency)] {
            let failures = throughput.failures + latency.failures
            print(
                name.padding(toLength: 14, withPad: " ", startingAt: 0),
                String(format: "%8.0f   %10.2f   %10.2f", throughput.perSecond, latency.p50 * 1000, latency.p99 * 1000),
                failures > 0 ? "  (\(failures) failed)" : "")
        }
        print(String(format: "\ningest throughput ratio chatbuddy / bare route: %.0f%%", gatewayThroughput.perSecond / bareThroughput.perSecond * 100))
        print(String(format: "closed loop into chatbuddy: gateway %.2f cores, load generator and fake Graph API %.0f%% of the machine", gatewayCores, loadShare * 100))
        if let endToEnd {
            print(String(format: "end to end (webhook in, reply sent to the Graph API): %.0f webhooks/s", endToEnd))
        }
        print(String(format: "gateway CPU per webhook of the closed loop%@: %.3f ms", paused ? "" : ", its reply included", cpuPerWebhook * 1000))
        try await client.shutdown()
        await peer.stop()
    }
}

/// The release executable a benchmark starts.
struct ServerOption: ParsableArguments {
    @Option(name: .customLong("server"), help: "The chatbuddy executable to measure.")
    var path = ".build/release/chatbuddy"
}

/// Which server a run targets.
enum Target {
    case bare(Int)
    case gateway(Int)

    /// Where a webhook for `path` goes: the bare route takes every one.
    func url(_ path: String) -> String {
        switch self {
        case .bare(let port): "http://127.0.0.1:\(port)/bare"
        case .gateway(let port): "http://127.0.0.1:\(port)\(path)"
        }
    }
}
