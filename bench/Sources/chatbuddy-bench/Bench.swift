import ArgumentParser
import AsyncHTTPClient
import Channels
import Foundation
import Hummingbird
import NIOCore

/// Ingest benchmark: signed Messenger webhooks against a release `chatbuddy serve` on SQLite, next to a
/// bare Hummingbird route in the same run. Prints throughput and ack latency for both, and their ratio.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbuddy-bench",
        abstract: "Measure webhook ingest against a bare Hummingbird route (bounded in requests and time).")

    @Option(help: "The chatbuddy executable to measure.")
    var server = ".build/release/chatbuddy"

    @Option(help: "Requests in each throughput run.")
    var requests = 20_000

    @Option(help: "Concurrent connections in the throughput run.")
    var connections = 32

    @Option(help: "Requests per second in the latency run.")
    var rate = 1_000

    @Option(help: "Seconds of the latency run.")
    var seconds = 5

    func run() async throws {
        let peer = try await BenchPeer.start()
        defer { peer.stop() }
        let gateway = try GatewayProcess.start(executable: server, graphURL: "http://127.0.0.1:\(peer.port)")
        defer { gateway.stop() }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))

        let bodies = WebhookBodies(count: 2_000 + requests + rate * seconds)
        print("warming up…")
        _ = try await Load.closedLoop(client: client, target: .bare(peer.port), bodies: bodies, offset: 0, count: 2_000, connections: connections)
        _ = try await Load.closedLoop(client: client, target: .gateway(gateway.port), bodies: bodies, offset: 0, count: 2_000, connections: connections)

        let bareThroughput = try await Load.closedLoop(client: client, target: .bare(peer.port), bodies: bodies, offset: 2_000, count: requests, connections: connections)
        let gatewayThroughput = try await Load.closedLoop(client: client, target: .gateway(gateway.port), bodies: bodies, offset: 2_000, count: requests, connections: connections)
        let latencyCount = rate * seconds
        let offset = 2_000 + requests
        let bareLatency = try await Load.openLoop(client: client, target: .bare(peer.port), bodies: bodies, offset: offset, count: latencyCount, rate: rate)
        let gatewayLatency = try await Load.openLoop(client: client, target: .gateway(gateway.port), bodies: bodies, offset: offset, count: latencyCount, rate: rate)

        print("")
        print("target            acks/s   (\(requests) webhooks, \(connections) connections)   p50 ms   p99 ms   (open loop, \(rate)/s for \(seconds) s)")
        for (name, throughput, latency) in [("bare route", bareThroughput, bareLatency), ("chatbuddy", gatewayThroughput, gatewayLatency)] {
            print(
                name.padding(toLength: 16, withPad: " ", startingAt: 0),
                String(format: "%8.0f", throughput.perSecond), String(repeating: " ", count: 36),
                String(format: "%7.2f  %7.2f", latency.p50 * 1000, latency.p99 * 1000),
                throughput.failures + latency.failures > 0 ? "  (\(throughput.failures + latency.failures) failed)" : "")
        }
        print(String(format: "\ningest throughput ratio chatbuddy / bare route: %.0f%%", gatewayThroughput.perSecond / bareThroughput.perSecond * 100))
        print("replies sent to the fake Graph API meanwhile: \(await peer.recorder.count)")
        try await client.shutdown()
    }
}

/// Which server a run targets.
enum Target {
    case bare(Int)
    case gateway(Int)

    var url: String {
        switch self {
        case .bare(let port): "http://127.0.0.1:\(port)/bare"
        case .gateway(let port): "http://127.0.0.1:\(port)/webhooks/messenger"
        }
    }
}
