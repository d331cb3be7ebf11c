import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// The in-process side of the bench on 127.0.0.1: the bare route (`POST /bare`: read the body, answer 200)
/// and a fake platform API for every channel (Graph `…/messages`, Bot API `…/send…`, Twilio
/// `…/Messages.json`, SendGrid `/v3/mail/send`) that counts the replies the gateway sends.
struct BenchPeer {
    let port: Int
    let recorder: Recorder
    private let task: Task<Void, any Error>
    private let group: ServiceGroup

    actor Recorder {
        /// Replies to customers taken.
        var count = 0
        /// Sends of any kind taken (read receipts too): each gets its own platform message id.
        var sends = 0
        /// When the latest reply arrived.
        var last = ContinuousClock.now
        func record(reply: Bool) -> Int {
            sends += 1
            if reply {
                count += 1
                last = .now
            }
            return sends
        }
    }

    static func start() async throws -> BenchPeer {
        let recorder = Recorder()
        let router = Router()
        router.post("/bare") { request, _ -> HTTPResponse.Status in
            _ = try await request.body.collect(upTo: 1 << 20)
            return .ok
        }
        router.post("**") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let path = request.uri.path
            let id = await recorder.record(reply: ChannelWebhooks.isReply(path: path, body: String(buffer: body)))
            return answer(path: path, id: id)
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

    /// What the platform behind `path` answers a send it took.
    private static func answer(path: String, id: Int) -> Response {
        let json: String
        var status = HTTPResponse.Status.ok
        var headers: HTTPFields = [.contentType: "application/json"]
        if path.hasSuffix("/me/messages") {
            json = #"{"recipient_id":"r","message_id":"m_\#(id)"}"#
        } else if path.hasSuffix("/messages") {
            json = #"{"messaging_product":"whatsapp","messages":[{"id":"wamid.sent\#(id)"}]}"#
        } else if path.contains("/bot") {
            // A chat's message ids count both ways: the bench's customers' own stay below this.
            json = #"{"ok":true,"result":{"message_id":\#(1_000_000_000 + id),"date":0,"chat":{"id":1,"type":"private"}}}"#
        } else if path.hasSuffix("/Messages.json") {
            status = .created
            json = #"{"sid":"SMsent\#(id)","status":"queued"}"#
        } else {
            status = .accepted
            headers[HTTPField.Name("X-Message-Id")!] = "sg-\(id)"
            json = ""
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// Waits until `count` replies reached the fake platform API (at most `timeout`); returns when.
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

    /// Waits until no reply arrived for `quiet` since `since` or the latest reply; returns how many arrived
    /// and when the latest did.
    func waitForQuiet(
        _ quiet: Duration = .seconds(3), since: ContinuousClock.Instant = .now, timeout: Duration = .seconds(300)
    ) async throws -> (count: Int, last: ContinuousClock.Instant) {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let last = await recorder.last
            if ContinuousClock.now - max(last, since) >= quiet { return (await recorder.count, last) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("replies still arriving after \(timeout)")
    }

    func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
