import Channels
import Foundation

/// Delivers widget answers to the session's open sockets and waiting REST turns; holds them while
/// nobody is connected, so they are delivered on the next connect.
struct WidgetSender: LiveChannelSender {
    let hub: WidgetHub

    func send(payload: String, account: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        guard let stored = try? WidgetReply.decode(payload) else {
            return .rejected(reason: "stored widget payload is unreadable")
        }
        guard hub.listenerCount(recipient, awaitingReplyTo: stored.inReplyTo) > 0 else {
            return .held(reason: "no widget is connected to the session")
        }
        // Pushed in `recordedSent`: only once the answer is in the history a reconnecting socket replays.
        return .sent(platformMessageID: idempotencyKey)
    }

    func recordedSent(payload: String, recipient: String, idempotencyKey: String) async {
        guard let stored = try? WidgetReply.decode(payload) else { return }
        let response = WidgetServerFrame.ChatResponse(messageID: idempotencyKey, timestamp: Date(), stored: stored)
        hub.push(response, to: recipient)
    }

    func isReachable(_ recipient: String, replyingTo: String?) -> Bool {
        hub.listenerCount(recipient, awaitingReplyTo: replyingTo) > 0
    }

    func replyTarget(of payload: String) -> String? {
        (try? WidgetReply.decode(payload))?.inReplyTo
    }

    func isListening(_ recipient: String) -> Bool {
        hub.hasListeners(recipient)
    }
}
