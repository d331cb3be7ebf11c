/// The wire shape of a Send API request body (docs/channels.md §1.5, fixtures/outbound/messenger_send_*.json).
struct MessengerSendRequest: Encodable {
    var recipient: Recipient
    var messagingType = "RESPONSE"
    /// The message tag of a `MESSAGE_TAG` send (`HUMAN_AGENT`: a person's reply after the 24-hour window).
    var tag: String?
    var message: Message

    enum CodingKeys: String, CodingKey {
        case recipient, message, tag
        case messagingType = "messaging_type"
    }

    struct Recipient: Encodable {
        var id: String
    }

    struct Message: Encodable {
        var text: String?
        var attachment: Attachment?
        var quickReplies: [QuickReply]?
        /// Comes back in the `message_echoes` event of this message, telling our echoes from a person's
        /// reply in the Page inbox (docs/channels.md §1.6).
        var metadata: String? = MessengerSendRequest.ourMetadata

        enum CodingKeys: String, CodingKey {
            case text, attachment, metadata
            case quickReplies = "quick_replies"
        }
    }

    /// The `metadata` every message we send carries.
    static let ourMetadata = "gw:chatbuddy"

    /// Whether an echo's `metadata` is one of ours (every gateway send starts it with `gw:`).
    static func isOurs(_ metadata: String?) -> Bool { metadata?.hasPrefix("gw:") == true }

    /// `body` with the send's idempotency key added to our `metadata` (`gw:chatbuddy:KEY`), so its echo names
    /// the outbox row; nil when the body has no metadata of ours (docs/channels.md §7). A quote inside a JSON
    /// string is always escaped, so the member found is the message's own.
    static func stamped(_ body: String, key: String) -> String? {
        guard let range = body.range(of: #""metadata":"\#(ourMetadata)""#),
            let value = ConfirmationStamp.json(ourMetadata + ":" + key)
        else { return nil }
        return body.replacingCharacters(in: range, with: #""metadata":"# + value)
    }

    /// The idempotency key an echo's `metadata` carries back, if it is one of our stamped sends.
    static func outboxKey(_ metadata: String?) -> String? {
        guard let metadata, metadata.hasPrefix(ourMetadata + ":") else { return nil }
        let key = metadata.dropFirst(ourMetadata.count + 1)
        return key.isEmpty ? nil : String(key)
    }

    struct QuickReply: Encodable {
        var contentType = "text"
        var title: String
        var payload: String

        enum CodingKeys: String, CodingKey {
            case title, payload
            case contentType = "content_type"
        }
    }

    struct Attachment: Encodable {
        var type: String
        var payload: Payload
    }

    enum Payload: Encodable {
        case generic(elements: [Element])
        case button(text: String, buttons: [Button])
        case media(url: String)

        enum CodingKeys: String, CodingKey {
            case elements, text, buttons, url
            case templateType = "template_type"
            case isReusable = "is_reusable"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .generic(let elements):
                try container.encode("generic", forKey: .templateType)
                try container.encode(elements, forKey: .elements)
            case .button(let text, let buttons):
                try container.encode("button", forKey: .templateType)
                try container.encode(text, forKey: .text)
                try container.encode(buttons, forKey: .buttons)
            case .media(let url):
                try container.encode(url, forKey: .url)
                try container.encode(true, forKey: .isReusable)
            }
        }
    }

    struct Element: Encodable {
        var title: String
        var subtitle: String?
        var imageUrl: String?
        var defaultAction: DefaultAction?
        var buttons: [Button]?

        enum CodingKeys: String, CodingKey {
            case title, subtitle, buttons
            case imageUrl = "image_url"
            case defaultAction = "default_action"
        }
    }

    struct DefaultAction: Encodable {
        var type = "web_url"
        var url: String
    }

    enum Button: Encodable {
        case webURL(title: String, url: String)
        case postback(title: String, payload: String)

        enum CodingKeys: String, CodingKey { case type, url, title, payload }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            switch self {
            case .webURL(let title, let url):
                try container.encode("web_url", forKey: .type)
                try container.encode(url, forKey: .url)
                try container.encode(title, forKey: .title)
            case .postback(let title, let payload):
                try container.encode("postback", forKey: .type)
                try container.encode(title, forKey: .title)
                try container.encode(payload, forKey: .payload)
            }
        }
    }
}
