/// The wire shape of a Messenger webhook notification (docs/channels.md §1.2);
/// most fields are optional so that unknown events can be reported rather than failing the batch.
struct MessengerWebhookPayload: Decodable {
    var object: String
    var entry: [Entry]

    struct Entry: Decodable {
        var id: String?
        var time: Int64?
        var messaging: [Event]?
        var standby: [Event]?
        var changes: [IgnoredValue]?
    }

    struct Event: Decodable {
        var sender: Party?
        var recipient: Party?
        var timestamp: Int64?
        var message: Message?
        var postback: Postback?
        var delivery: Delivery?
        var read: Read?
        var reaction: Reaction?
        var referral: Referral?
    }

    struct Party: Decodable {
        var id: String
    }

    struct Message: Decodable {
        var mid: String?
        var text: String?
        var quickReply: QuickReplyTap?
        var attachments: [Attachment]?
        var replyTo: ReplyTo?
        var isEcho: Bool?
        var metadata: String?

        enum CodingKeys: String, CodingKey {
            case mid, text, attachments, metadata
            case quickReply = "quick_reply"
            case replyTo = "reply_to"
            case isEcho = "is_echo"
        }
    }

    struct QuickReplyTap: Decodable {
        var payload: String
    }

    struct ReplyTo: Decodable {
        var mid: String?
    }

    struct Attachment: Decodable {
        var type: String
        var title: String?
        var url: String?
        var payload: AttachmentPayload?
    }

    struct AttachmentPayload: Decodable {
        var url: String?
        var title: String?
        var stickerId: LooseString?
        var coordinates: Coordinates?

        enum CodingKeys: String, CodingKey {
            case url, title, coordinates
            case stickerId = "sticker_id"
        }
    }

    struct Coordinates: Decodable {
        var lat: Double
        var long: Double
    }

    struct Postback: Decodable {
        var mid: String?
        var title: String?
        var payload: String?
        var referral: Referral?
    }

    struct Delivery: Decodable {
        var mids: [String]?
        var watermark: Int64?
    }

    struct Read: Decodable {
        var watermark: Int64
    }

    struct Reaction: Decodable {
        var reaction: String?
        var emoji: String?
        var action: String?
        var mid: String
    }

    struct Referral: Decodable {
        var ref: String?
        var source: String?
        var type: String?
        var adId: String?

        enum CodingKeys: String, CodingKey {
            case ref, source, type
            case adId = "ad_id"
        }
    }

    /// A value whose content is not used.
    struct IgnoredValue: Decodable {
        init(from decoder: any Decoder) throws {}
    }

    /// An id Meta sends as a number in some events and as a string in others.
    struct LooseString: Decodable {
        var value: String

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let number = try? container.decode(Int64.self) {
                value = String(number)
            } else {
                value = try container.decode(String.self)
            }
        }
    }
}
