import ChatModel
import Foundation

/// Parses a verified WhatsApp Cloud API webhook body into normalized events: every entry, every change,
/// every message and status (docs/channels.md §2.2–2.4), and the messages a person sent from the WhatsApp
/// Business app on the same number (`smb_message_echoes`, §2.7).
public struct WhatsAppWebhook: Sendable {
    public typealias Batch = WebhookBatch
    public typealias MalformedBody = MalformedWebhookBody

    public init() {}

    public func parse(_ body: Data) throws(MalformedBody) -> Batch {
        let payload: WhatsAppWebhookPayload
        do {
            payload = try JSONDecoder().decode(WhatsAppWebhookPayload.self, from: body)
        } catch let error as DecodingError {
            throw MalformedBody(reason: WebhookDecodingError.describe(error, notification: "WhatsApp"))
        } catch {
            throw MalformedBody(reason: "body is not JSON")
        }
        var batch = Batch()
        guard payload.object == "whatsapp_business_account" else {
            batch.ignored.append("object:\(payload.object)")
            return batch
        }
        for (entryIndex, entry) in payload.entry.enumerated() {
            for (changeIndex, change) in (entry.changes ?? []).enumerated() {
                let place = "entry[\(entryIndex)].changes[\(changeIndex)].value"
                if change.field == "smb_message_echoes", let value = change.value {
                    try Self.echoes(value, place: place, into: &batch)
                    continue
                }
                guard change.field == nil || change.field == "messages", let value = change.value else {
                    batch.ignored.append("field:\(change.field ?? "none")")
                    continue
                }
                guard let number = value.metadata?.phoneNumberID else {
                    throw MalformedBody(reason: "\(place).metadata.phone_number_id is required")
                }
                let names = Dictionary(
                    (value.contacts ?? []).compactMap { contact in contact.waID.map { ($0, contact.profile?.name) } },
                    uniquingKeysWith: { first, _ in first })
                for (index, message) in (value.messages ?? []).enumerated() {
                    batch.events.append(try Self.event(message, number: number, names: names, place: "\(place).messages[\(index)]"))
                }
                for (index, status) in (value.statuses ?? []).enumerated() {
                    if let event = try Self.event(status, number: number, place: "\(place).statuses[\(index)]") {
                        batch.events.append(event)
                    } else {
                        batch.ignored.append("status:\(status.status)")
                    }
                }
                for _ in value.errors ?? [] { batch.ignored.append("errors") }
            }
        }
        return batch
    }

    /// A person answered from the WhatsApp Business app: each echo is their reply to the customer in `to`.
    private static func echoes(_ value: WhatsAppWebhookPayload.Value, place: String, into batch: inout Batch) throws(MalformedBody) {
        guard let number = value.metadata?.phoneNumberID else {
            throw MalformedBody(reason: "\(place).metadata.phone_number_id is required")
        }
        for (index, echo) in (value.messageEchoes ?? []).enumerated() {
            let echoPlace = "\(place).message_echoes[\(index)]"
            guard let to = echo.to, !to.isEmpty else { throw MalformedBody(reason: "\(echoPlace).to is required") }
            let text = echo.text?.body ?? echo.image?.caption ?? "[\(echo.type)]"
            batch.events.append(InboundEvent(
                conversation: ConversationKey(channel: .whatsapp, accountID: number, userID: to), platformID: echo.id,
                timestamp: try time(echo.timestamp, place: echoPlace), content: .humanReply(text: text)))
        }
    }

    private static func time(_ seconds: String, place: String) throws(MalformedBody) -> Date {
        guard let value = Double(seconds) else { throw MalformedBody(reason: "\(place).timestamp: expected seconds as a string") }
        return Date(timeIntervalSince1970: value)
    }

    private static func event(
        _ message: WhatsAppWebhookPayload.Message, number: String, names: [String: String?], place: String
    ) throws(MalformedBody) -> InboundEvent {
        guard let from = message.from, !from.isEmpty else { throw MalformedBody(reason: "\(place).from is required") }
        let key = ConversationKey(channel: .whatsapp, accountID: number, userID: from)
        return InboundEvent(
            conversation: key, platformID: message.id, timestamp: try time(message.timestamp, place: place),
            content: content(of: message), replyTo: message.context?.id, senderName: names[from] ?? nil)
    }

    /// The message's content; a type the gateway does not know becomes an `unknown` attachment, so it is
    /// stored and answered politely.
    private static func content(of message: WhatsAppWebhookPayload.Message) -> InboundContent {
        func media(_ kind: Attachment.Kind, _ wire: WhatsAppWebhookPayload.Media?) -> InboundContent {
            let attachment = Attachment(
                kind: kind, url: wire?.url, title: wire?.filename, mimeType: wire?.mimeType, mediaID: wire?.id,
                voice: wire?.voice)
            return .attachments([attachment], caption: wire?.caption)
        }
        switch message.type {
        case "text":
            return .text(message.text?.body ?? "")
        case "interactive":
            if let reply = message.interactive?.buttonReply ?? message.interactive?.listReply {
                return .quickReply(title: reply.title ?? reply.id, payload: reply.id)
            }
        case "button":
            if let button = message.button {
                let payload = button.payload ?? button.text ?? ""
                return .quickReply(title: button.text ?? payload, payload: payload)
            }
        case "image": return media(.image, message.image)
        case "video": return media(.video, message.video)
        case "audio": return media(.audio, message.audio)
        case "document": return media(.file, message.document)
        case "sticker": return media(.sticker, message.sticker)
        case "location":
            if let location = message.location {
                return .location(Location(latitude: location.latitude, longitude: location.longitude, name: location.name, address: location.address))
            }
        case "reaction":
            if let reaction = message.reaction {
                let emoji = reaction.emoji ?? ""
                return .reaction(Reaction(emoji: emoji, removed: emoji.isEmpty, messageID: reaction.messageID))
            }
        case "contacts":
            let cards = (message.contacts ?? []).map { contact in
                let phones = (contact.phones ?? []).compactMap(\.phone)
                let name = contact.name?.formattedName ?? ""
                return Attachment(kind: .contact, title: ([name] + phones).filter { !$0.isEmpty }.joined(separator: ", "))
            }
            return .attachments(cards, caption: nil)
        case "order":
            if let order = message.order {
                return .quickReply(title: summary(of: order), payload: "HANDOFF:whatsapp_order")
            }
        default:
            break
        }
        return .attachments([Attachment(kind: .unknown, title: message.type)], caption: nil)
    }

    /// A sent cart in words ("2 × SKU-1 (2990 HUF), 1 × SKU-2"), with the customer's note; an operator
    /// completes the order.
    private static func summary(of order: WhatsAppWebhookPayload.Order) -> String {
        let items = (order.productItems ?? []).map { item in
            let price = item.itemPrice.map { price in
                " (\(price.rounded() == price ? String(Int(price)) : String(price))\(item.currency.map { " " + $0 } ?? ""))"
            } ?? ""
            return "\(item.quantity ?? 1) × \(item.productRetailerID)\(price)"
        }
        return (["🛒 " + items.joined(separator: ", ")] + [order.text].compactMap { $0 }).joined(separator: "\n")
    }

    /// A delivery status of one of our messages; nil for statuses the gateway does not track (`played`).
    private static func event(_ status: WhatsAppWebhookPayload.Status, number: String, place: String) throws(MalformedBody) -> InboundEvent? {
        let mapped: DeliveryStatus
        switch status.status {
        case "sent": mapped = .sent
        case "delivered": mapped = .delivered
        case "read": mapped = .read
        case "failed": mapped = .failed
        default: return nil
        }
        let outboxKey = status.callbackData.flatMap { $0.isEmpty ? nil : $0 }
        let error = status.errors?.first.map { wire in
            [wire.code.map(String.init), wire.title].compactMap { $0 }.joined(separator: ": ")
        }
        let key = ConversationKey(channel: .whatsapp, accountID: number, userID: status.recipientID ?? "")
        return InboundEvent(
            conversation: key, platformID: "status:\(status.id):\(status.status)", timestamp: try time(status.timestamp, place: place),
            content: .receipt(Receipt(status: mapped, messageIDs: [status.id], error: error, outboxKey: outboxKey)))
    }
}
