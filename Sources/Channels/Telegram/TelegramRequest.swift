import Foundation

/// One Bot API call as stored in the outbox: the method and its parameters (docs/channels.md §6.3).
public struct TelegramRequest: Codable, Sendable, Hashable {
    /// `sendMessage`, `sendPhoto`, `sendDocument` or `answerCallbackQuery`.
    public var method: String
    public var params: Params

    public init(method: String, params: Params) {
        self.method = method
        self.params = params
    }

    /// The parameters of the methods the gateway calls; absent ones are left out of the JSON.
    public struct Params: Codable, Sendable, Hashable {
        public var chatID: String?
        public var text: String?
        public var photo: String?
        public var document: String?
        public var caption: String?
        public var replyMarkup: Keyboard?
        public var callbackQueryID: String?
        public var replyParameters: ReplyTo?

        enum CodingKeys: String, CodingKey {
            case chatID = "chat_id", text, photo, document, caption, replyMarkup = "reply_markup"
            case callbackQueryID = "callback_query_id", replyParameters = "reply_parameters"
        }

        public init(chatID: String? = nil) {
            self.chatID = chatID
        }
    }

    /// An inline keyboard: rows of buttons under the message.
    public struct Keyboard: Codable, Sendable, Hashable {
        public var inlineKeyboard: [[Button]]

        enum CodingKeys: String, CodingKey { case inlineKeyboard = "inline_keyboard" }
    }

    /// A button that sends `callbackData` back, or opens `url`.
    public struct Button: Codable, Sendable, Hashable {
        public var text: String
        public var callbackData: String?
        public var url: String?

        enum CodingKeys: String, CodingKey { case text, callbackData = "callback_data", url }
    }

    /// The message a reply quotes.
    public struct ReplyTo: Codable, Sendable, Hashable {
        public var messageID: Int64

        enum CodingKeys: String, CodingKey { case messageID = "message_id" }
    }

    /// The stored form: keys sorted, slashes unescaped.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
