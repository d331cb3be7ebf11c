import Foundation
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The in-process side of the bench on 127.0.0.1: the bare route (`POST /bare`: read the body, answer 200)
/// and a fake Graph API (`POST /me/messages`) that the gateway sends its replies to.
struct BenchPeer {
    let port: Int
    let recorder: Recorder
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    actor Recorder {
        var count = 0
        func record() -> Int {
            count += 1
            return count
        }
    }

    static func start() async throws -> BenchPeer {
        let recorder = Recorder()
        let router = Router()
        router.post("/bare") { request, _ -> HTTPResponse.Status in
            _ = try await request.body.collect(upTo: 1 << 20)
            return .ok
        }
        router.post("/me/messages") { request, _ -> Response in
            _ = try await request.body.collect(upTo: 1 << 20)
            let id = await recorder.record()
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(string: #"{"recipient_id":"r","message_id":"m_\#(id)"}"#)))
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        let group = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
        let task = Task { try await group.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return BenchPeer(port: port, recorder: recorder, task: task, group: group)
    }

    /// Waits until `count` replies reached the fake Graph API (at most `timeout`); returns when.
    func waitForReplies(_ count: Int, timeout: Duration = .seconds(120)) async throws -> ContinuousClock.Instant {
        let deadline = ContinuousClock.now + timeout
        while await recorder.count < count {
            guard ContinuousClock.now < deadline else {
                throw BenchError("only \(await recorder.count) of \(count) replies arrived within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return .now
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
