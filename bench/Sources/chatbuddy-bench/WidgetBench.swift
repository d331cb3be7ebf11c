import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore

/// Widget benchmark: idle sockets (resident memory per socket of the server) and chat turns per second
/// over sockets with the built-in agent, on a release `chatbuddy serve` on SQLite.
struct WidgetBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "widget",
        abstract: "Measure idle widget sockets (memory each) and chat turns per second.")

    @OptionGroup var server: ServerOption

    @Option(help: "Idle sockets to open.")
    var sockets = 5_000

    @Option(help: "Chat turns in the throughput run.")
    var turns = 20_000

    @Option(help: "Sockets (each its own session) sending turns at the same time.")
    var sessions = 128

    @Option(help: "Seconds after which a run gives up.")
    var timeout = 120

    func run() async throws {
        let unlimited = "10000000"
        let gateway = try GatewayProcess.start(executable: server.path, environment: [
            "WIDGET_SESSION_PER_MINUTE": unlimited, "WIDGET_SESSION_BURST": unlimited,
            "WIDGET_ADDRESS_PER_MINUTE": unlimited, "WIDGET_ADDRESS_BURST": unlimited,
            "INBOUND_SENDER_PER_MINUTE": unlimited, "INBOUND_SENDER_BURST": unlimited,
            "WIDGET_MAX_SOCKETS_PER_ADDRESS": "1000000", "WIDGET_MAX_SOCKETS": unlimited,
        ])
        defer { gateway.stop() }
        let base = "ws://127.0.0.1:\(gateway.port)/ws/chat/"
        let deadline = ContinuousClock.now + .seconds(timeout)

        print("warming up…")
        if turns > 0 { _ = try await turnsRun(base: base, prefix: "warm", sessions: 16, turns: 2_000, deadline: deadline) }

        // Idle sockets: the server's resident memory before and after they are all open.
        let before = gateway.residentBytes() ?? 0
        let idle = IdleSockets()
        let opened = try await idle.open(count: sockets, base: base, deadline: deadline)
        try await Task.sleep(for: .seconds(2))
        let after = gateway.residentBytes() ?? 0
        let perSocket = Double(after - before) / Double(max(opened, 1))
        await idle.closeAll()

        print(String(format: "memory per idle socket: %.1f KB (target ≤ 30 KB)", perSocket / 1024))
        if turns == 0 { return }
        let result = try await turnsRun(base: base, prefix: "turn", sessions: sessions, turns: turns, deadline: deadline)
        print("")
        print("idle sockets: \(opened) of \(sockets) open; server RSS \(before >> 20) MiB → \(after >> 20) MiB")
        print(String(format: "memory per idle socket: %.1f KB (target ≤ 30 KB)", perSocket / 1024))
        print(String(format: "chat turns: %d over %d sockets in %.2f s: %.0f turns/s (target ≥ 2,000); p50 %.2f ms, p99 %.2f ms",
                     result.count, sessions, result.seconds, Double(result.count) / result.seconds, result.latency.p50 * 1000, result.latency.p99 * 1000))
    }

    struct TurnsResult {
        var count: Int
        var seconds: Double
        var latency: Load.Latency
    }

    /// `sessions` sockets, each sending a message and waiting for its answer before the next, `turns` in all.
    func turnsRun(base: String, prefix: String, sessions: Int, turns: Int, deadline: ContinuousClock.Instant) async throws -> TurnsResult {
        let perSession = turns / sessions
        let started = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for index in 0..<sessions {
                group.addTask {
                    try await Self.converse(url: base + "\(prefix)-\(UUID().uuidString.prefix(8))-\(index)", turns: perSession, deadline: deadline)
                }
            }
            var all: [Double] = []
            for try await some in group { all += some }
            return all.sorted()
        }
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        return TurnsResult(count: latencies.count, seconds: seconds, latency: Load.Latency(sorted: latencies, failures: 0))
    }

    /// One socket's turns; returns each turn's seconds from sending to its `chat_response`.
    static func converse(url: String, turns: Int, deadline: ContinuousClock.Instant) async throws -> [Double] {
        let collected = LatencyBox()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Self.talk(url: url, turns: turns, deadline: deadline, into: collected) }
            group.addTask {
                try await Task.sleep(until: deadline)
                throw BenchError("widget turns ran out of time")
            }
            try await group.next()
            group.cancelAll()
        }
        return await collected.values
    }

    private static func talk(url: String, turns: Int, deadline: ContinuousClock.Instant, into collected: LatencyBox) async throws {
        try await WebSocketClient.connect(url: url, logger: Logger(label: "bench")) { inbound, outbound, _ in
            var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
            for turn in 0..<turns {
                guard ContinuousClock.now < deadline else { throw BenchError("widget turns ran out of time") }
                let sent = ContinuousClock.now
                try await outbound.write(.text(#"{"type":"chat_message","content":"Szia, van piros bögre?","message_id":"t\#(turn)"}"#))
                while let message = try await messages.next() {
                    if case .text(let text) = message, text.contains(#""type":"chat_response""#) { break }
                }
                await collected.add((ContinuousClock.now - sent) / .seconds(1))
            }
            try await outbound.close(.normalClosure, reason: nil)
        }
    }
}

/// Latencies gathered inside a socket handler.
actor LatencyBox {
    private(set) var values: [Double] = []
    func add(_ value: Double) { values.append(value) }
}

/// Sockets held open without traffic until closed.
private final class IdleSockets: Sendable {
    private let tasks = TaskList()

    /// Opens `count` sockets, at most 256 handshakes at a time; returns how many got their history frame.
    func open(count: Int, base: String, deadline: ContinuousClock.Instant) async throws -> Int {
        let ready = ReadyCounter()
        var started = 0
        while started < count, ContinuousClock.now < deadline {
            let batch = min(256, count - started)
            for index in started..<(started + batch) {
                await tasks.add(Task {
                    try? await WebSocketClient.connect(url: base + "idle-\(index)-session", logger: Logger(label: "bench")) { inbound, _, _ in
                        var messages = inbound.messages(maxSize: 1 << 20).makeAsyncIterator()
                        while let message = try await messages.next() {
                            if case .text(let text) = message, text.contains(#""type":"history""#) { break }
                        }
                        await ready.increment()
                        // Idle until cancelled by closeAll.
                        try await Task.sleep(for: .seconds(86_400))
                    }
                })
            }
            started += batch
            while await ready.count < started, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        return await ready.count
    }

    func closeAll() async {
        for task in await tasks.all { task.cancel() }
        for task in await tasks.all { _ = await task.result }
    }
}

private actor ReadyCounter {
    private(set) var count = 0
    func increment() { count += 1 }
}

private actor TaskList {
    private(set) var all: [Task<Void, Never>] = []
    func add(_ task: Task<Void, Never>) { all.append(task) }
}
