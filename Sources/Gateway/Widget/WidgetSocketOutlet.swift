import DequeModule
import HummingbirdWebSocket
import Logging
import Synchronization

/// The frames on their way to one widget socket, written in the order they came by a task that runs only while
/// some wait, so an idle socket holds no task of its own (a task keeps the memory of its deepest call: about
/// 5 KB a socket, docs/architecture.md §3.7).
///
/// It holds at most `capacity` frames: a page that reads none loses the oldest first.
final class WidgetSocketOutlet: Sendable {
    /// What reaches the socket: a frame to write, or the order to close it for staying silent.
    enum Item: Sendable {
        case frame(WidgetHub.Frame)
        case closeSilent
    }

    private struct State {
        var waiting: Deque<Item> = []
        /// Whether writing may start (after the greeting), whether a task writes now, and whether the socket is done.
        var open = false
        var writing = false
        var finished = false
        /// Answers the greeting's history held already, not written twice.
        var replayed: Set<String> = []

        /// Whether the caller is to start the writer: the socket is open, something waits, and none writes.
        mutating func claimWriter() -> Bool {
            guard open, !finished, !writing, !waiting.isEmpty else { return false }
            writing = true
            return true
        }

        /// The next item to write, or nil (and the writer gone) when none waits.
        mutating func next() -> Item? {
            while !finished, let item = waiting.popFirst() {
                if case .frame(let frame) = item, let id = frame.messageID, replayed.contains(id) { continue }
                return item
            }
            writing = false
            return nil
        }
    }

    static let capacity = 256

    private let outbound: WebSocketOutboundWriter
    private let logger: Logger
    private let session: String
    private let state = Mutex(State())

    init(outbound: WebSocketOutboundWriter, logger: Logger, session: String) {
        self.outbound = outbound
        self.logger = logger
        self.session = session
    }

    /// Queues `item`; starts a writer when none runs and the socket is open.
    func send(_ item: Item) {
        let start = state.withLock { state in
            guard !state.finished else { return false }
            if state.waiting.count == Self.capacity { state.waiting.removeFirst() }
            state.waiting.append(item)
            return state.claimWriter()
        }
        if start { startWriter() }
    }

    /// Lets the queued frames go out once the greeting is written, leaving out the answers it replayed.
    func open(replayed: Set<String>) {
        let start = state.withLock { state in
            state.open = true
            state.replayed = replayed
            return state.claimWriter()
        }
        if start { startWriter() }
    }

    /// Drops what waits; nothing more is written.
    func finish() {
        state.withLock { state in
            state.finished = true
            state.waiting.removeAll()
        }
    }

    private func startWriter() {
        Task { await self.write() }
    }

    /// Writes until nothing waits; the socket is done when a write fails or it was closed for silence.
    private func write() async {
        while let item = state.withLock({ $0.next() }) {
            do {
                switch item {
                case .frame(let frame):
                    try await outbound.write(.text(frame.text))
                case .closeSilent:
                    // The read loop then ends with the closing handshake, or when the close timeout gives up on it.
                    logger.info("widget socket closed after staying silent", metadata: ["session": .string(session)])
                    finish()
                    try await outbound.close(.goingAway, reason: "idle")
                }
            } catch {
                finish()
            }
        }
    }
}
