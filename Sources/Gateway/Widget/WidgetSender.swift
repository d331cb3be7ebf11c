import Channels
import Foundation

/// Delivers widget answers to the session's open sockets and waiting REST turns; holds them while
/// nobody is connected, so they are delivered on the next connect.
struct WidgetSender: ChannelSender {
    let hub: WidgetHub

    func send(payload: String, recipient: String, idempotencyKey: String) async -> DeliveryOutcome {
        let stored: WidgetReply
        do {
            stored = try WidgetReply.decode(payload)
        } catch {
            return .rejected(reason: "stored widget payload is unreadable")
        }
        let response = WidgetServerFrame.ChatResponse(messageID: idempotencyKey, timestamp: Date(), stored: stored)
        guard hub.push(response, to: recipient) > 0 else {
            return .held(reason: "no widget is connected to the session")
        }
        return .sent(platformMessageID: idempotencyKey)
    }
}
