import Foundation

/// A WhatsApp Cloud API `/messages` request body (docs/channels.md §2.5): one of text, media,
/// interactive, template, or a read receipt. Absent parts are left out of the JSON.
public struct WhatsAppMessage: Codable, Sendable, Hashable {
    public var messagingProduct = "whatsapp"
    public var recipientType: String?
    public var to: String?
    public var type: String?
    /// `read`, with `messageID`, for a read receipt.
    public var status: String?
    public var messageID: String?
    /// The customer's message this one quotes.
    public var context: Context?
    public var text: Text?
    public var image: Media?
    public var video: Media?
    public var audio: Media?
    public var document: Media?
    public var interactive: Interactive?
    public var template: Template?

    enum CodingKeys: String, CodingKey {
        case messagingProduct = "messaging_product", recipientType = "recipient_type", to, type, status, messageID = "message_id"
        case context, text, image, video, audio, document, interactive, template
    }

    /// A message of `type` to `recipient`, its content still to be set.
    public init(to recipient: String, type: String) {
        self.recipientType = "individual"
        self.to = recipient
        self.type = type
    }

    /// A read receipt for the customer's message `id`.
    public static func readReceipt(_ id: String) -> WhatsAppMessage {
        var message = WhatsAppMessage(to: "", type: "")
        message.recipientType = nil
        message.to = nil
        message.type = nil
        message.status = "read"
        message.messageID = id
        return message
    }

    /// This message's media part, by its WhatsApp type (`image`, `video`, `audio`, `document`).
    public mutating func setMedia(_ media: Media, type: String) {
        switch type {
        case "image": image = media
        case "video": video = media
        case "audio": audio = media
        default: document = media
        }
    }

    /// The exact JSON request body: keys sorted, slashes unescaped.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    public struct Context: Codable, Sendable, Hashable {
        public var messageID: String
        enum CodingKeys: String, CodingKey { case messageID = "message_id" }
    }

    public struct Text: Codable, Sendable, Hashable {
        public var body: String
        public var previewURL: Bool
        enum CodingKeys: String, CodingKey { case body, previewURL = "preview_url" }
    }

    public struct Media: Codable, Sendable, Hashable {
        public var link: String
        public var caption: String?
    }

    /// A line of text: an interactive message's body or footer.
    public struct Line: Codable, Sendable, Hashable {
        public var text: String
    }

    public struct Interactive: Codable, Sendable, Hashable {
        /// `button`, `list`, `product` or `carousel`.
        public var type: String
        public var header: Header?
        public var body: Line?
        public var footer: Line?
        public var action: Action

        public struct Header: Codable, Sendable, Hashable {
            public var type = "text"
            public var text: String
        }

        public struct Action: Codable, Sendable, Hashable {
            public var buttons: [Button]?
            /// The list's button title.
            public var button: String?
            public var sections: [Section]?
            public var catalogID: String?
            public var productRetailerID: String?
            public var cards: [CarouselCard]?

            enum CodingKeys: String, CodingKey {
                case buttons, button, sections, catalogID = "catalog_id", productRetailerID = "product_retailer_id", cards
            }
        }

        public struct Button: Codable, Sendable, Hashable {
            public var type = "reply"
            public var reply: Reply

            public struct Reply: Codable, Sendable, Hashable {
                public var id: String
                public var title: String
            }
        }

        public struct Section: Codable, Sendable, Hashable {
            public var title: String
            public var rows: [Row]
        }

        public struct Row: Codable, Sendable, Hashable {
            public var id: String
            public var title: String
            public var description: String?
        }

        public struct CarouselCard: Codable, Sendable, Hashable {
            public var cardIndex: Int
            public var type = "product"
            public var action: Action

            enum CodingKeys: String, CodingKey { case cardIndex = "card_index", type, action }
        }
    }

    public struct Template: Codable, Sendable, Hashable {
        public var name: String
        public var language: Language
        public var components: [Component]?

        public struct Language: Codable, Sendable, Hashable {
            public var code: String
        }

        public struct Component: Codable, Sendable, Hashable {
            public var type: String
            public var subType: String?
            public var index: String?
            public var parameters: [Parameter]

            enum CodingKeys: String, CodingKey { case type, subType = "sub_type", index, parameters }
        }

        public struct Parameter: Codable, Sendable, Hashable {
            public var type: String
            public var text: String?
            public var payload: String?
        }
    }
}
