import ArgumentParser
import AsyncHTTPClient
import Foundation

/// End-to-end webhook throughput with one, two and three gateway processes on one PostgreSQL (and one
/// on SQLite for comparison), webhooks spread over the processes as a balancer would, with each
/// process's CPU.
struct ScalingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scaling",
        abstract: "Measure end-to-end webhook throughput with 1, 2 and 3 gateways on one PostgreSQL, and 1 on SQLite.")

    @OptionGroup var server: ServerOption

    @Option(help: "A PostgreSQL server's URL (a database is created per run), e.g. scripts/with-postgres.sh's TEST_DATABASE_URL.")
    var postgres = ProcessInfo.processInfo.environment["TEST_DATABASE_URL"] ?? ""

    @Option(help: "Webhooks in each run.")
    var requests = 6_000

    @Option(help: "Concurrent connections, over all the gateways.")
    var connections = 32

    func run() async throws {
        guard !postgres.isEmpty else { throw BenchError("give --postgres URL (or run under scripts/with-postgres.sh)") }
        print("\(requests) webhooks per run over \(connections) connections; every webhook gets one reply from the fake Graph API")
        print("database     gateways   acks/s   end to end/s   PostgreSQL CPU (cores)   CPU per gateway (cores)")
        for (engine, count) in [("sqlite", 1), ("postgres", 1), ("postgres", 2), ("postgres", 3)] {
            let url = engine == "sqlite" ? nil : try await PostgresDatabases.fresh(on: postgres, prefix: "scaling")
            let result = try await measure(gateways: count, databaseURL: url)
            print(
                engine.padding(toLength: 12, withPad: " ", startingAt: 0),
                String(format: "%8d   %6.0f   %12.0f   %22.2f   ", count, result.acks, result.endToEnd, result.database)
                    + result.cpu.map { String(format: "%.2f", $0) }.joined(separator: ", "))
        }
    }

    func measure(gateways count: Int, databaseURL: String?) async throws -> (acks: Double, endToEnd: Double, database: Double, cpu: [Double]) {
        let peer = try await BenchPeer.start()
        var environment = [
            "MESSENGER_VERIFY_TOKEN": "bench", "MESSENGER_APP_SECRET": WebhookBodies.appSecret,
            "MESSENGER_PAGE_ACCESS_TOKEN": "bench-token", "META_GRAPH_BASE_URL": "http://127.0.0.1:\(peer.port)",
            "INBOUND_SENDER_PER_MINUTE": "1000000", "INBOUND_SENDER_BURST": "1000000",
        ]
        if let databaseURL { environment["DATABASE_URL"] = databaseURL }
        var gateways: [GatewayProcess] = []
        for _ in 0..<count { gateways.append(try GatewayProcess.start(executable: server.path, environment: environment)) }
        defer { gateways.forEach { $0.stop() } }
        let client = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: connections)))
        let warmUp = 500
        let bodies = WebhookBodies(count: warmUp + requests)
        _ = try await spread(client, gateways, bodies, offset: 0, count: warmUp)
        _ = try await peer.waitForReplies(warmUp, timeout: .seconds(120))
        let cpuBefore = gateways.map(\.cpuSeconds)
        let databaseBefore = Self.postgresCPUSeconds()
        let started = ContinuousClock.now
        let acks = try await spread(client, gateways, bodies, offset: warmUp, count: requests)
        let drained = try await peer.waitForReplies(warmUp + requests, timeout: .seconds(600))
        let elapsed = (drained - started).seconds
        let cpu = zip(gateways.map(\.cpuSeconds), cpuBefore).map { ($0 - $1) / elapsed }
        let database = (Self.postgresCPUSeconds() - databaseBefore) / elapsed
        try await client.shutdown()
        await peer.stop()
        return (acks, Double(requests) / elapsed, database, cpu)
    }

    /// CPU seconds used so far by the machine's `postgres` processes (the server and its backends).
    static func postgresCPUSeconds() -> Double {
        let pids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc"))?.filter { $0.allSatisfy(\.isNumber) } ?? []
        return pids.reduce(0) { $0 + GatewayProcess.cpuSeconds(pid: $1, command: "postgres") }
    }

    /// Posts `count` webhooks, the i-th to gateway i mod N, over `connections` workers; acks per second.
    func spread(_ client: HTTPClient, _ gateways: [GatewayProcess], _ bodies: WebhookBodies, offset: Int, count: Int) async throws -> Double {
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (number, gateway) in gateways.enumerated() {
                let share = (count - number + gateways.count - 1) / gateways.count
                let part = WebhookBodies(bodies.bodies.enumerated().filter { $0.offset >= offset && ($0.offset - offset) % gateways.count == number }.map(\.element))
                group.addTask {
                    _ = try await Load.closedLoop(
                        client: client, target: .gateway(gateway.port), bodies: part, offset: 0, count: share,
                        connections: max(1, connections / gateways.count))
                }
            }
            try await group.waitForAll()
        }
        return Double(count) / (ContinuousClock.now - started).seconds
    }
}
