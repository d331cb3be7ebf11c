import Channels
import Foundation
import HummingbirdWebSocket
import Logging

/// One open widget socket: announces itself, replays the session's history, then answers the client's
/// frames and forwards everything pushed to the session, all through its outlet so frames never interleave.
struct WidgetSocket {
    let sessions: WidgetSessions
    let session: String
    /// The shop's customer id the page signed; nil when it claimed none or an unsigned one.
    let userID: String?
    let address: String
    /// The connection's logger; the session is named at each message rather than kept in a copy of its metadata.
    let logger: Logger

    func run(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let connectionID = WidgetSessions.newID()
        let outlet = WidgetSocketOutlet(outbound: outbound, logger: logger, session: session)
        // Registered before the history is read, so nothing sent meanwhile is missed; replayed ids are skipped.
        let socketID: UInt64
        do {
            socketID = try sessions.hub.register(session, address: address, outlet)
        } catch {
            // One socket too many (for the address, the session or the server): told why, then closed.
            sessions.metrics.widgetRateLimited(scope: "sockets")
            try await outbound.write(.text(WidgetServerFrame.error(.init(error, timestamp: Date())).json()))
            try await outbound.close(.policyViolation, reason: "too many connections")
            return
        }
        sessions.metrics.widgetSocketOpened()
        defer {
            outlet.finish()
            sessions.hub.unregister(session, socket: socketID)
            sessions.metrics.widgetSocketClosed()
        }

        let hello = WidgetServerFrame.connectionEstablished(
            .init(connectionID: connectionID, sessionID: session, userID: userID, timestamp: Date()))
        try await outbound.write(.text(hello.json()))
        outlet.open(replayed: try await replayHistory(to: outbound))
        await sessions.releaseHeld(session)

        // This task only reads: frames for the page go through the outlet, whose writer runs while some wait, and
        // the silence check is the hub's for all sockets at once (WidgetSocketReaper).
        for try await message in inbound.messages(maxSize: sessions.config.maxFrameBytes) {
            sessions.hub.heard(session, socket: socketID)
            if let answer = await answer(message, connectionID: connectionID) {
                outlet.send(.frame(WidgetHub.Frame(text: answer.json())))
            }
        }
    }

    /// Sends the `history` frame; returns the ids of the answers it held.
    private func replayHistory(to outbound: WebSocketOutboundWriter) async throws -> Set<String> {
        guard sessions.config.historyCount > 0 else { return [] }
        let history: [WidgetServerFrame]
        do {
            history = try await sessions.history(session)
        } catch {
            logger.error("cannot read the session's history", metadata: ["session": .string(session), "error": "\(error)"])
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
