import Channels
import Synchronization

/// The widget's listeners by session (open sockets, and REST turns waiting for their reply); a frame pushed
/// to a session reaches all of them, so two tabs see the same conversation.
final class WidgetHub: Sendable {
    /// A frame encoded once for every listener, with the id that tells a replayed message from a new one.
    struct Frame: Sendable {
        var messageID: String?
        var text: String
    }

    /// One REST turn waiting for the answer to its message.
    struct Waiter: Sendable {
        fileprivate let id: UInt64
        let replies: AsyncStream<WidgetServerFrame.ChatResponse>
    }

    /// One open socket: where its frames go, and when its page last sent one.
    private struct Socket {
        let id: UInt64
        var outlet: WidgetSocketOutlet
        var heardAt: ContinuousClock.Instant
        var closing = false
    }

    private struct Session {
        /// A few at most (`widget.max_sockets_per_session`): a list costs an idle socket less than a dictionary.
        var sockets: [Socket] = []
        /// Waiting REST turns by the client id of the message they sent.
        var waiters: [String: (id: UInt64, continuation: AsyncStream<WidgetServerFrame.ChatResponse>.Continuation)] = [:]

        var isEmpty: Bool { sockets.isEmpty && waiters.isEmpty }
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var nextID: UInt64 = 0
        var socketCount = 0
        /// Open sockets by client address, and each socket's address.
        var addresses: [String: Int] = [:]
        var socketAddress: [UInt64: String] = [:]

        /// Which limit another socket of `session` from `address` would pass, if any.
        func refusal(_ session: String, address: String, limits: GatewayConfig.SocketLimits) -> String? {
            if socketCount >= limits.total { return "the server has as many chat connections open as it takes" }
            if addresses[address, default: 0] >= limits.perAddress { return "too many chat connections from this address" }
            if sessions[session]?.sockets.count ?? 0 >= limits.perSession { return "too many chat connections for this session" }
            return nil
        }

        /// Where socket `id` of `session` is in the session's list, if it is open.
        func index(of id: UInt64, in session: String) -> Int? {
            sessions[session]?.sockets.firstIndex { $0.id == id }
        }
    }

    private let state = Mutex(State())
    let limits: GatewayConfig.SocketLimits

    init(limits: GatewayConfig.SocketLimits) {
        self.limits = limits
    }

    /// Why a socket of `session` from `address` would be refused now, or nil when it may open.
    func refusal(_ session: String, address: String) -> String? {
        state.withLock { $0.refusal(session, address: address, limits: limits) }
    }

    /// Adds a socket of `session` from `address`; frames pushed to the session go to `outlet`.
    /// Throws the limit it would pass (checked again here, as sockets may have opened since the upgrade).
    func register(_ session: String, address: String, _ outlet: WidgetSocketOutlet) throws(WidgetError) -> UInt64 {
        let registered: Result<UInt64, WidgetError> = state.withLock { state in
            if let reason = state.refusal(session, address: address, limits: limits) { return .failure(WidgetError(.rateLimited, reason)) }
            state.nextID += 1
            state.sessions[session, default: Session()].sockets.append(Socket(id: state.nextID, outlet: outlet, heardAt: .now))
            state.socketCount += 1
            state.addresses[address, default: 0] += 1
            state.socketAddress[state.nextID] = address
            return .success(state.nextID)
        }
        return try registered.get()
    }

    func unregister(_ session: String, socket id: UInt64) {
        state.withLock { state in
            guard let index = state.index(of: id, in: session) else { return }
            state.sessions[session]?.sockets.remove(at: index)
            state.socketCount -= 1
            if let address = state.socketAddress.removeValue(forKey: id) {
                state.addresses[address, default: 1] -= 1
                if state.addresses[address] == 0 { state.addresses[address] = nil }
            }
            if state.sessions[session]?.isEmpty == true { state.sessions[session] = nil }
        }
    }

    /// Notes a frame from the page of socket `id`.
    func heard(_ session: String, socket id: UInt64) {
        let now = ContinuousClock.now
        state.withLock { state in
            guard let index = state.index(of: id, in: session) else { return }
            state.sessions[session]?.sockets[index].heardAt = now
        }
    }

    /// Tells every socket whose page sent nothing for `idle` to close; returns how many were told.
    @discardableResult
    func closeSilent(for idle: Duration) -> Int {
        let cutoff = ContinuousClock.now - idle
        return state.withLock { state in
            var told: [(session: String, socket: UInt64)] = []
            for (session, listeners) in state.sessions {
                for socket in listeners.sockets where !socket.closing && socket.heardAt <= cutoff {
                    socket.outlet.send(.closeSilent)
                    told.append((session, socket.id))
                }
            }
            // Marked after the walk, so the walk does not copy the sessions it changes.
            for (session, id) in told {
                guard let index = state.index(of: id, in: session) else { continue }
                state.sessions[session]?.sockets[index].closing = true
            }
            return told.count
        }
    }

    /// Waits for the reply to the client's message `clientMessageID` of `session`.
    func expectReply(_ session: String, to clientMessageID: String) -> Waiter {
        let (replies, continuation) = AsyncStream.makeStream(
            of: WidgetServerFrame.ChatResponse.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { state in
            state.nextID += 1
            state.sessions[session, default: Session()].waiters[clientMessageID] = (state.nextID, continuation)
            return state.nextID
        }
        return Waiter(id: id, replies: replies)
    }

    /// Stops waiting (the reply came, or the turn gave up).
    func forget(_ waiter: Waiter, session: String, clientMessageID: String) {
        state.withLock { state in
            guard let entry = state.sessions[session]?.waiters[clientMessageID], entry.id == waiter.id else { return }
            entry.continuation.finish()
            state.sessions[session]?.waiters[clientMessageID] = nil
            if state.sessions[session]?.isEmpty == true { state.sessions[session] = nil }
        }
    }

    /// Sends a frame to every socket of `session`; returns how many got it.
    @discardableResult
    func push(_ frame: Frame, to session: String) -> Int {
        state.withLock { state in
            guard let sockets = state.sessions[session]?.sockets else { return 0 }
            for socket in sockets { socket.outlet.send(.frame(frame)) }
            return sockets.count
        }
    }

    /// The sockets open on `session`, plus one when a REST turn waits for the answer to `clientMessageID`.
    func listenerCount(_ session: String, awaitingReplyTo clientMessageID: String?) -> Int {
        state.withLock { state in
            guard let listeners = state.sessions[session] else { return 0 }
            let waiting = clientMessageID.map { listeners.waiters[$0] != nil } ?? false
            return listeners.sockets.count + (waiting ? 1 : 0)
        }
    }

    /// Sends an answer to every socket of `session` and to the REST turn waiting for it; returns how many got it.
    @discardableResult
    func push(_ response: WidgetServerFrame.ChatResponse, to session: String) -> Int {
        let frame = Frame(messageID: response.messageID, text: WidgetServerFrame.chatResponse(response).json())
        return state.withLock { state in
            guard let listeners = state.sessions[session] else { return 0 }
            for socket in listeners.sockets { socket.outlet.send(.frame(frame)) }
            guard let waiter = listeners.waiters[response.inReplyTo] else { return listeners.sockets.count }
            waiter.continuation.yield(response)
            return listeners.sockets.count + 1
        }
    }

    /// The sessions with a socket open here (their widget is on a page now).
    func sessionsWithSockets() -> [String] {
        state.withLock { $0.sessions.compactMap { $0.value.sockets.isEmpty ? nil : $0.key } }
    }

    /// Whether `session` has a socket open or a REST turn waiting here.
    func hasListeners(_ session: String) -> Bool {
        state.withLock { $0.sessions[session] != nil }
    }

    /// Sockets open on `session`.
    func socketCount(_ session: String) -> Int {
        state.withLock { $0.sessions[session]?.sockets.count ?? 0 }
    }

    /// Sockets open on all sessions.
    var totalSockets: Int {
        state.withLock { $0.socketCount }
    }
}
