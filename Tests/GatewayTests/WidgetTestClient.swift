import Foundation
import HummingbirdWSClient
import Logging
import NIOCore

/// A real WebSocket client on a widget session: records every frame the server sends and sends what the
/// test asks for, until closed.
final class WidgetTestClient: Sendable {
    /// A frame from the server.
    struct Frame: Sendable {
        var type: String
        /// The frame's JSON text.
        var text: String

        /// The frame's `data` object.
        var data: NSDictionary {
            let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary
            return object?["data"] as? NSDictionary ?? [:]
        }

        subscript(_ key: String) -> Any? { data[key] }
    }

    enum Outgoing: Sendable {
        case text(String)
        case binary([UInt8])
        case close
    }

    private let received = FrameLog()
    private let outgoing: AsyncStream<Outgoing>.Continuation
    private let task: Task<WebSocketCloseFrame?, any Error>

    /// Connects to `/ws/chat/{session}` of `baseURL` (http://…).
    init(baseURL: String, session: String, query: String = "") {
        let url = baseURL.replacingOccurrences(of: "http://", with: "ws://") + "/ws/chat/\(session)" + query
        let (commands, continuation) = AsyncStream.makeStream(of: Outgoing.self)
        outgoing = continuation
        let log = received
        task = Task {
            try await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 1 << 20),
                logger: Logger(label: "widget-test-client")
            ) { inbound, outbound, _ in
                // Ends when the server closes the socket or the test closes it, whichever comes first.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            if case .text(let text) = message { await log.append(text) }
                        }
                        await log.finish()
                    }
                    group.addTask {
                        for await command in commands {
                            switch command {
                            case .text(let text): try await outbound.write(.text(text))
                            case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                            case .close:
                                try await outbound.close(.normalClosure, reason: nil)
                                return
                            }
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }

    deinit {
        outgoing.finish()
    }

    func send(_ json: String) {
        outgoing.yield(.text(json))
    }

    func sendBinary(_ bytes: [UInt8]) {
        outgoing.yield(.binary(bytes))
    }

    /// Sends a chat message with its id; returns the id.
    @discardableResult
    func say(_ content: String, id: String = "m-\(UUID().uuidString.prefix(8))", extra: String = "") -> String {
        let body = try! JSONSerialization.data(withJSONObject: ["type": "chat_message", "content": content, "message_id": id])
        var text = String(decoding: body, as: UTF8.self)
        if !extra.isEmpty { text = String(text.dropLast()) + "," + extra + "}" }
        send(text)
        return id
    }

    /// Closes the socket and waits for the client to finish; returns the server's close frame, if any.
    @discardableResult
    func close() async throws -> WebSocketCloseFrame? {
        outgoing.yield(.close)
        outgoing.finish()
        return try await task.value
    }

    /// How the connection ended (throws when the upgrade was refused).
    func outcome() async throws -> WebSocketCloseFrame? {
        try await task.value
    }

    /// Waits for the next unread frame of `type` (any type when nil); frames of other types stay readable.
    func next(_ type: String? = nil, timeout: Duration = .seconds(10)) async throws -> Frame {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let frame = await received.take(type) { return frame }
            if await received.isFinished { throw WidgetTestError.closed(type ?? "any") }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw WidgetTestError.timeout(type ?? "any")
    }

    /// Waits a little and returns the frames of `type` that arrived and were not read yet.
    func pending(_ type: String, after wait: Duration = .milliseconds(300)) async throws -> [Frame] {
        try await Task.sleep(for: wait)
        var frames: [Frame] = []
        while let frame = await received.take(type) { frames.append(frame) }
        return frames
    }
}

enum WidgetTestError: Error {
    case timeout(String)
    case closed(String)
}

/// The frames received, in order, until read.
private actor FrameLog {
    private var frames: [WidgetTestClient.Frame] = []
    private(set) var isFinished = false

    func append(_ text: String) {
        let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? NSDictionary
        frames.append(.init(type: object?["type"] as? String ?? "", text: text))
    }

    func finish() {
        isFinished = true
    }

    func take(_ type: String?) -> WidgetTestClient.Frame? {
        guard let index = frames.firstIndex(where: { type == nil || $0.type == type }) else { return nil }
        return frames.remove(at: index)
    }
}
