import ChatModel
import Foundation

/// Reads a SendGrid Event Webhook post (a JSON array of events, docs/channels.md §4.7) into receipts of our
/// mail: `processed` and `deferred` say SendGrid took it, `delivered` and `open` how far it came, `dropped`
/// and `bounce` that it failed. Every event carries the `custom_args` of the send, our key among them.
public struct SendGridEvents: Sendable {
    /// The `custom_args` member that names the outbox row of the send.
    public static let outboxArgument = "chatbuddy_outbox"

    public init() {}

    struct Event: Decodable {
        var event: String?
        var email: String?
        var timestamp: Int64?
        var messageID: String?
        var eventID: String?
        var reason: String?
        var outboxKey: String?

        enum CodingKeys: String, CodingKey {
            case event, email, timestamp, reason
            case messageID = "sg_message_id"
            case eventID = "sg_event_id"
            case outboxKey = "chatbuddy_outbox"
        }
    }

    /// The receipts in `body`, and the kinds of events that say nothing of ours (counted as ignored).
    public func receipts(_ body: [UInt8]) throws(MalformedWebhookBody) -> WebhookBatch {
        let events: [Event]
        do {
            events = try JSONDecoder().decode([Event].self, from: Data(body))
        } catch {
            throw MalformedWebhookBody(reason: "expected a JSON array of SendGrid events")
        }
        var batch = WebhookBatch()
        for (index, event) in events.enumerated() {
            guard let kind = event.event, !kind.isEmpty else { throw MalformedWebhookBody(reason: "[\(index)].event is required") }
            // SendGrid's message id is the `X-Message-Id` of the send, with a suffix per recipient after the first dot.
            let messageID = event.messageID.map { String($0.prefix { $0 != "." }) }.flatMap { $0.isEmpty ? nil : $0 }
            let outboxKey = event.outboxKey.flatMap { $0.isEmpty ? nil : $0 }
            let status: DeliveryStatus
            switch kind {
            case "processed", "deferred": status = .sent
            case "delivered": status = .delivered
            case "open", "click": status = .read
            case "dropped", "bounce": status = .failed
            default:
                guard outboxKey != nil else {
                    batch.ignored.append(kind)
                    continue
                }
                status = .sent
            }
            guard messageID != nil || outboxKey != nil else {
                batch.ignored.append(kind)
                continue
            }
            let time = event.timestamp.map { Date(timeIntervalSince1970: Double($0)) } ?? Date()
            let receipt = Receipt(
                status: status, messageIDs: messageID.map { [$0] } ?? [], error: status == .failed ? (event.reason ?? kind) : nil,
                outboxKey: outboxKey)
            batch.events.append(InboundEvent(
                conversation: ConversationKey(channel: .email, accountID: "", userID: event.email ?? ""),
                platformID: "event:" + (event.eventID ?? "\(messageID ?? outboxKey ?? ""):\(kind)"), timestamp: time,
                content: .receipt(receipt)))
        }
        return batch
    }
}
