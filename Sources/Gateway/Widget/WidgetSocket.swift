import Channels
import Foundation
import HummingbirdWebSocket
import Logging

/// One open widget socket: announces itself, replays the session's history, then answers the client's
/// frames and forwards everything pushed to the session, all through one writer so frames never interleave.
struct WidgetSocket {
    let sessions: WidgetSessions
    let session: String
    /// The shop's customer id the page signed; nil when it claimed none or an unsigned one.
    let userID: String?
    let address: String
    let logger: Logger

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let connectionID = WidgetSessions.newID()
        let (outgoing, continuation) = AsyncStream.makeStream(of: WidgetHub.Outgoing.self, bufferingPolicy: .bufferingNewest(256))
        // Registered before the history is read, so nothing sent meanwhile is missed; replayed ids are skipped.
        let socketID: UInt64
        do {
            socketID = try sessions.hub.register(session, address: address, continuation)
        } catch {
            // One socket too many (for the address, the session or the server): told why, then closed.
            sessions.metrics.widgetRateLimited(scope: "sockets")
            try await outbound.write(.text(WidgetServerFrame.error(.init(error, timestamp: Date())).json()))
            try await outbound.close(.policyViolation, reason: "too many connections")
            return
        }
        sessions.metrics.widgetSocketOpened()
        defer {
            sessions.hub.unregister(session, socket: socketID)
            sessions.metrics.widgetSocketClosed()
        }

        let hello = WidgetServerFrame.connectionEstablished(
            .init(connectionID: connectionID, sessionID: session, userID: userID, timestamp: Date()))
        try await outbound.write(.text(hello.json()))
        let replayed = try await replayHistory(to: outbound)
        await sessions.releaseHeld(session)

        // One task writes; the read loop below is this one. The silence check is the hub's, for all sockets at
        // once (WidgetSocketReaper), so an idle socket holds no timer of its own.
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await item in outgoing {
                    switch item {
                    case .frame(let frame):
                        if let id = frame.messageID, replayed.contains(id) { continue }
                        try await outbound.write(.text(frame.text))
                    case .closeSilent:
                        // The read loop then ends with the closing handshake, or when the close timeout gives up on it.
                        logger.info("widget socket closed after staying silent")
                        try await outbound.close(.goingAway, reason: "idle")
                        return
                    }
                }
            }
            defer { group.cancelAll() }
            for try await message in inbound.messages(maxSize: sessions.config.maxFrameBytes) {
                sessions.hub.heard(session, socket: socketID)
                if let answer = await answer(message, connectionID: connectionID) {
                    continuation.yield(.frame(WidgetHub.Frame(text: answer.json())))
                }
            }
            continuation.finish()
        }
    }

    /// Sends the `history` frame; returns the ids of the answers it held.
    private func replayHistory(to outbound: WebSocketOutboundWriter) async throws -> Set<String> {
        guard sessions.config.historyCount > 0 else { return [] }
        let history: [WidgetServerFrame]
        do {
            history = try await sessions.history(session)
        } catch {
            logger.error("cannot read the session's history", metadata: ["error": "\(error)"])
            history = []
        }
        try await outbound.write(.text(WidgetServerFrame.history(.init(sessionID: session, messages: history)).json()))
        var replayed = Set<String>()
        for case .chatResponse(let response) in history { replayed.insert(response.messageID) }
        return replayed
    }

    /// The direct answer to one client frame, if any (a chat message is answered later, by the agent).
    private func answer(_ message: WebSocketMessage, connectionID: String) async -> WidgetServerFrame? {
        guard case .text(let text) = message else {
            return error(WidgetError(.invalidJSON, "frames must be JSON text"))
        }
        do {
            switch try WidgetClientFrame.parse(text, maxCharacters: sessions.config.maxMessageCharacters) {
            case .ping:
                return .pong(.init(timestamp: Date()))
            case .sessionInfo:
                return .sessionInfo(.init(
                    sessionID: session, connectionID: connectionID, userID: userID,
                    connections: sessions.hub.socketCount(session), timestamp: Date()))
            case .chatMessage(let input):
                _ = try await sessions.receive(input, session: session, address: address, shopCustomerID: userID)
                return nil
            case .track(let frame):
                try await sessions.track(frame, session: session, address: address)
                return nil
            }
        } catch {
            return self.error(error)
        }
    }

    private func error(_ error: WidgetError) -> WidgetServerFrame {
        sessions.metrics.widgetError(error.kind.rawValue)
        return .error(.init(error, timestamp: Date()))
    }
}
