import ChatModel
import Foundation

/// Parses a verified Messenger webhook body into normalized events (every entry, every event).
public struct MessengerWebhook: Sendable {
    public typealias Batch = WebhookBatch
    public typealias MalformedBody = MalformedWebhookBody

    public init() {}

    public func parse(_ body: Data) throws(MalformedBody) -> Batch {
        let payload: MessengerWebhookPayload
        do {
            payload = try Self.decoder.decode(MessengerWebhookPayload.self, from: body)
        } catch let error as DecodingError {
            throw MalformedBody(reason: WebhookDecodingError.describe(error, notification: "Messenger"))
        } catch {
            throw MalformedBody(reason: "body is not JSON")
        }
        var batch = Batch()
        guard payload.object == "page" else {
            batch.ignored.append("object:\(payload.object)")
            return batch
        }
        for (entryIndex, entry) in payload.entry.enumerated() {
            if entry.standby != nil { batch.ignored.append("standby") }
            if entry.changes != nil { batch.ignored.append("changes") }
            for (eventIndex, event) in (entry.messaging ?? []).enumerated() {
                let place = "entry[\(entryIndex)].messaging[\(eventIndex)]"
                if let normalized = try Self.normalize(event, pageID: entry.id, place: place) {
                    batch.events.append(normalized)
                } else {
                    batch.ignored.append("messaging")
                }
            }
        }
        return batch
    }

    private static func normalize(
        _ event: MessengerWebhookPayload.Event, pageID: String?, place: String
    ) throws(MalformedBody) -> InboundEvent? {
        guard let sender = event.sender?.id, let recipient = event.recipient?.id else {
            throw MalformedBody(reason: "\(place): sender.id and recipient.id are required")
        }
        guard let timestamp = event.timestamp else {
            throw MalformedBody(reason: "\(place): timestamp is required")
        }
        let time = Date(timeIntervalSince1970: Double(timestamp) / 1000)
        let isEcho = event.message?.isEcho == true
        // Echoes travel from the page to the user; every other event from the user to the page.
        let key = ConversationKey(
            channel: .messenger,
            accountID: isEcho ? sender : recipient,
            userID: isEcho ? recipient : sender)

        func make(_ id: String, _ content: InboundContent, replyTo: String? = nil) -> InboundEvent {
            InboundEvent(conversation: key, platformID: id, timestamp: time, content: content, replyTo: replyTo)
        }

        if let message = event.message {
            guard let mid = message.mid, !mid.isEmpty else {
                throw MalformedBody(reason: "\(place).message: mid is required")
            }
            if isEcho {
                // Our sends carry our metadata back; an echo without it is a person writing from the Page inbox.
                guard MessengerSendRequest.isOurs(message.metadata) else { return make(mid, .humanReply(text: message.text)) }
                if let outboxKey = MessengerSendRequest.outboxKey(message.metadata) {
                    // The page sent our message: the confirmation of that send (docs/channels.md §7).
                    return make(mid, .receipt(Receipt(status: .sent, messageIDs: [mid], outboxKey: outboxKey)))
                }
                return make(mid, .echo(text: message.text, metadata: message.metadata))
            }
            return make(mid, content(of: message), replyTo: message.replyTo?.mid)
        }
        if let postback = event.postback {
            let payload = postback.payload ?? ""
            let id = postback.mid ?? "postback:\(sender):\(timestamp)"
            return make(id, .postback(title: postback.title ?? payload, payload: payload, referral: postback.referral.map(referral)))
        }
        if let delivery = event.delivery {
            let receipt = Receipt(
                status: .delivered, messageIDs: delivery.mids ?? [],
                watermark: delivery.watermark.map { Date(timeIntervalSince1970: Double($0) / 1000) })
            return make("delivery:\(sender):\(delivery.watermark ?? timestamp)", .receipt(receipt))
        }
        if let read = event.read {
            let receipt = Receipt(status: .read, watermark: Date(timeIntervalSince1970: Double(read.watermark) / 1000))
            return make("read:\(sender):\(read.watermark)", .receipt(receipt))
        }
        if let reaction = event.reaction {
            let removed = reaction.action == "unreact"
            let content = InboundContent.reaction(
                Reaction(emoji: reaction.emoji ?? "", name: reaction.reaction, removed: removed, messageID: reaction.mid))
            return make("reaction:\(sender):\(reaction.mid):\(reaction.action ?? "react"):\(timestamp)", content)
        }
        if let referral = event.referral {
            return make("referral:\(sender):\(timestamp)", .referral(Self.referral(referral)))
        }
        return nil
    }

    private static func content(of message: MessengerWebhookPayload.Message) -> InboundContent {
        if let tap = message.quickReply {
            return .quickReply(title: message.text ?? tap.payload, payload: tap.payload)
        }
        let attachments = message.attachments ?? []
        if let location = attachments.lazy.compactMap({ $0.payload?.coordinates }).first {
            let place = attachments.first { $0.payload?.coordinates != nil }
            return .location(
                Location(latitude: location.lat, longitude: location.long, name: place?.title ?? place?.payload?.title))
        }
        if !attachments.isEmpty {
            return .attachments(attachments.map(attachment), caption: message.text)
        }
        return .text(message.text ?? "")
    }

    private static func attachment(_ wire: MessengerWebhookPayload.Attachment) -> Attachment {
        let sticker = wire.payload?.stickerId?.value
        let kind: Attachment.Kind = sticker != nil ? .sticker : Attachment.Kind(rawValue: wire.type) ?? .unknown
        return Attachment(
            kind: kind, url: wire.payload?.url ?? wire.url, title: wire.title ?? wire.payload?.title, stickerID: sticker)
    }

    private static func referral(_ wire: MessengerWebhookPayload.Referral) -> Referral {
        Referral(ref: wire.ref, source: wire.source, type: wire.type, adID: wire.adId)
    }

    private static let decoder = JSONDecoder()
}
