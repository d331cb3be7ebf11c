import ChatModel
import Foundation

/// Reads a Bot API update into inbound events (docs/channels.md §6.2): messages and edited messages
/// (text, photos, files, locations, contacts) and button taps (`callback_query`). The update id is the
/// event's platform id, so a retried update is dropped as a duplicate.
public struct TelegramWebhook: Sendable {
    /// The bot's id (the number before the colon of its token): the conversations' account.
    public let botID: String

    public init(botID: String) {
        self.botID = botID
    }

    public func parse(_ body: Data) throws(MalformedWebhookBody) -> WebhookBatch {
        let update: TelegramUpdate
        do {
            update = try JSONDecoder().decode(TelegramUpdate.self, from: body)
        } catch let error as DecodingError {
            throw MalformedWebhookBody(reason: WebhookDecodingError.describe(error, notification: "Telegram update"))
        } catch {
            throw MalformedWebhookBody(reason: "body is not a Telegram update")
        }
        let id = String(update.updateID)
        if let query = update.callbackQuery {
            let chat = query.message?.chat.id ?? query.from.id
            let data = query.data ?? ""
            // The button's own words, from the message it was under; its data when they are not there.
            let buttons = (query.message?.replyMarkup?.inlineKeyboard ?? []).flatMap { $0 }
            let title = buttons.first { $0.callbackData == data }?.text ?? data
            let event = InboundEvent(
                conversation: ConversationKey(channel: .telegram, accountID: botID, userID: String(chat)),
                platformID: TelegramCallback.platformID(update: id, callback: query.id),
                timestamp: Date(), content: .postback(title: title, payload: data, referral: nil), senderName: query.from.name)
            return WebhookBatch(events: [event])
        }
        guard let message = update.message ?? update.editedMessage else {
            return WebhookBatch(ignored: ["update"])
        }
        guard let content = Self.content(of: message) else {
            return WebhookBatch(ignored: ["message"])
        }
        let event = InboundEvent(
            conversation: ConversationKey(channel: .telegram, accountID: botID, userID: String(message.chat.id)),
            platformID: id, timestamp: Date(timeIntervalSince1970: TimeInterval(message.date)), content: content,
            senderName: message.from?.name)
        return WebhookBatch(events: [event])
    }

    private static func content(of message: TelegramUpdate.Message) -> InboundContent? {
        if let text = message.text { return .text(text) }
        let caption = message.caption
        if let photo = message.photo?.max(by: { ($0.width ?? 0) * ($0.height ?? 0) < ($1.width ?? 0) * ($1.height ?? 0) }) {
            return .attachments([Attachment(kind: .image, mediaID: photo.fileID)], caption: caption)
        }
        if let location = message.location {
            return .location(Location(latitude: location.latitude, longitude: location.longitude))
        }
        if let contact = message.contact {
            let name = [contact.firstName, contact.lastName].compactMap { $0 }.joined(separator: " ")
            let title = [name, contact.phoneNumber].filter { !$0.isEmpty }.joined(separator: ", ")
            return .attachments([Attachment(kind: .contact, title: title)], caption: nil)
        }
        let files: [(TelegramUpdate.File?, Attachment.Kind)] = [
            (message.document, .file), (message.voice, .audio), (message.video, .video), (message.sticker, .sticker),
        ]
        for case let (file?, kind) in files {
            return .attachments(
                [Attachment(kind: kind, title: file.fileName, mimeType: file.mimeType, mediaID: file.fileID, voice: message.voice != nil ? true : nil)],
                caption: caption)
        }
        return nil
    }
}

/// A button tap's platform id carries the callback query's id, which the reply must answer.
enum TelegramCallback {
    static func platformID(update: String, callback: String) -> String { "\(update):cb:\(callback)" }

    /// The callback query id an inbound platform id carries, if it was a tap.
    static func queryID(inPlatformID id: String) -> String? {
        guard let range = id.range(of: ":cb:") else { return nil }
        return String(id[range.upperBound...])
    }
}

extension Channel {
    /// Telegram Bot API.
    public static let telegram = Channel(rawValue: "telegram")
}
