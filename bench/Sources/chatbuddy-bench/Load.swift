import AsyncHTTPClient
import Foundation
import NIOCore

/// Load generators: closed loop for throughput, open loop (fixed arrival rate) for latency.
enum Load {
    struct Throughput {
        var perSecond: Double
        var failures: Int
    }

    struct Latency {
        var p50: Double
        var p99: Double
        var failures: Int

        /// Percentiles of latencies sorted in ascending order (NaN when there are none).
        init(sorted latencies: [Double], failures: Int) {
            func percentile(_ p: Double) -> Double {
                latencies.isEmpty ? .nan : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
            }
            p50 = percentile(0.50)
            p99 = percentile(0.99)
            self.failures = failures
        }
    }

    /// `count` requests over `connections` workers, as fast as they are answered, with each ack's latency.
    static func closedLoop(
        client: HTTPClient, target: Target, bodies: WebhookBodies, offset: Int, count: Int, connections: Int
    ) async throws -> (throughput: Throughput, latency: Latency) {
        let started = ContinuousClock.now
        let results = await withTaskGroup(of: [Double?].self) { group in
            for worker in 0..<connections {
                group.addTask {
                    var results: [Double?] = []
                    var index = worker
                    while index < count {
                        let sent = ContinuousClock.now
                        let ok = await post(client: client, target: target, bodies.bodies[offset + index])
                        results.append(ok ? (ContinuousClock.now - sent).seconds : nil)
                        index += connections
                    }
                    return results
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = (ContinuousClock.now - started).seconds
        let latencies = results.compactMap { $0 }.sorted()
        let failures = results.count - latencies.count
        return (Throughput(perSecond: Double(count) / elapsed, failures: failures), Latency(sorted: latencies, failures: failures))
    }

    /// `count` requests started at `rate` per second regardless of answers; latency of each ack.
    static func openLoop(client: HTTPClient, target: Target, bodies: WebhookBodies, offset: Int, count: Int, rate: Int) async throws -> Latency {
        let started = ContinuousClock.now
        let interval = Duration.seconds(1) / rate
        let results = await withTaskGroup(of: Double?.self) { group in
            for index in 0..<count {
                let due = started + interval * index
                try? await Task.sleep(until: due, clock: .continuous)
                group.addTask {
                    let sent = ContinuousClock.now
                    let ok = await post(client: client, target: target, bodies.bodies[offset + index])
                    return ok ? (ContinuousClock.now - sent).seconds : nil
                }
            }
            var latencies: [Double?] = []
            for await result in group { latencies.append(result) }
            return latencies
        }
        let latencies = results.compactMap { $0 }.sorted()
        return Latency(sorted: latencies, failures: results.count - latencies.count)
    }

    private static func post(client: HTTPClient, target: Target, _ item: WebhookRequest) async -> Bool {
        var request = HTTPClientRequest(url: target.url(item.path))
        request.method = .POST
        for (name, value) in item.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: item.body))
        guard let response = try? await client.execute(request, timeout: .seconds(10)) else { return false }
        _ = try? await response.body.collect(upTo: 1 << 16)
        return response.status == .ok
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
