/// The parts of a Bot API `Update` the gateway reads (docs/channels.md §6.2).
struct TelegramUpdate: Decodable, Sendable {
    var updateID: Int64
    var message: Message?
    var editedMessage: Message?
    var callbackQuery: CallbackQuery?

    enum CodingKeys: String, CodingKey {
        case updateID = "update_id", message, editedMessage = "edited_message", callbackQuery = "callback_query"
    }

    struct Message: Decodable, Sendable {
        var messageID: Int64
        var date: Int64
        var chat: Chat
        var from: User?
        var text: String?
        var caption: String?
        var photo: [PhotoSize]?
        var location: Location?
        var contact: Contact?
        var document: File?
        var voice: File?
        var video: File?
        var sticker: File?
        /// The buttons under one of our messages (a tap's message carries them).
        var replyMarkup: Keyboard?

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id", date, chat, from, text, caption, photo, location, contact, document, voice, video, sticker
            case replyMarkup = "reply_markup"
        }
    }

    struct Keyboard: Decodable, Sendable {
        struct Button: Decodable, Sendable {
            var text: String
            var callbackData: String?

            enum CodingKeys: String, CodingKey { case text, callbackData = "callback_data" }
        }

        var inlineKeyboard: [[Button]]

        enum CodingKeys: String, CodingKey { case inlineKeyboard = "inline_keyboard" }
    }

    struct Chat: Decodable, Sendable {
        var id: Int64
        var type: String?
    }

    struct User: Decodable, Sendable {
        var id: Int64
        var firstName: String?
        var lastName: String?
        var languageCode: String?

        enum CodingKeys: String, CodingKey {
            case id, firstName = "first_name", lastName = "last_name", languageCode = "language_code"
        }

        var name: String? {
            let parts = [firstName, lastName].compactMap { $0 }.filter { !$0.isEmpty }
            return parts.isEmpty ? nil : parts.joined(separator: " ")
        }
    }

    struct PhotoSize: Decodable, Sendable {
        var fileID: String
        var width: Int?
        var height: Int?

        enum CodingKeys: String, CodingKey { case fileID = "file_id", width, height }
    }

    struct File: Decodable, Sendable {
        var fileID: String
        var fileName: String?
        var mimeType: String?

        enum CodingKeys: String, CodingKey { case fileID = "file_id", fileName = "file_name", mimeType = "mime_type" }
    }

    struct Location: Decodable, Sendable {
        var latitude: Double
        var longitude: Double
    }

    struct Contact: Decodable, Sendable {
        var phoneNumber: String
        var firstName: String?
        var lastName: String?

        enum CodingKeys: String, CodingKey { case phoneNumber = "phone_number", firstName = "first_name", lastName = "last_name" }
    }

    struct CallbackQuery: Decodable, Sendable {
        var id: String
        var from: User
        var message: Message?
        var data: String?
    }
}
