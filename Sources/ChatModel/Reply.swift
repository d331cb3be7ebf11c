/// A channel-neutral answer to a customer; each channel renders the richest form it can.
public struct Reply: Codable, Sendable, Hashable {
    public var text: String?
    public var quickReplies: [QuickReply]?
    public var cards: [Card]?
    public var template: TemplateReference?
    public var media: Media?

    public init(
        text: String? = nil,
        quickReplies: [QuickReply]? = nil,
        cards: [Card]? = nil,
        template: TemplateReference? = nil,
        media: Media? = nil
    ) {
        self.text = text
        self.quickReplies = quickReplies
        self.cards = cards
        self.template = template
        self.media = media
    }

    enum CodingKeys: String, CodingKey {
        case text
        case quickReplies = "quick_replies"
        case cards, template, media
    }
}

/// A suggested answer the customer can tap.
public struct QuickReply: Codable, Sendable, Hashable {
    public var title: String
    public var payload: String

    public init(title: String, payload: String) {
        self.title = title
        self.payload = payload
    }
}

/// A rich item, usually a product, with optional image and buttons.
public struct Card: Codable, Sendable, Hashable {
    public var title: String
    public var subtitle: String?
    public var imageURL: String?
    public var url: String?
    /// The product's sku when the card shows a product.
    public var sku: String?
    /// The product's category, which channels may group cards by.
    public var category: String?
    public var buttons: [CardButton]

    public init(
        title: String,
        subtitle: String? = nil,
        imageURL: String? = nil,
        url: String? = nil,
        sku: String? = nil,
        category: String? = nil,
        buttons: [CardButton] = []
    ) {
        self.title = title
        self.subtitle = subtitle
        self.imageURL = imageURL
        self.url = url
        self.sku = sku
        self.category = category
        self.buttons = buttons
    }

    enum CodingKeys: String, CodingKey {
        case title, subtitle
        case imageURL = "image_url"
        case url, sku, category, buttons
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        title = try container.decode(String.self, forKey: .title)
        subtitle = try container.decodeIfPresent(String.self, forKey: .subtitle)
        imageURL = try container.decodeIfPresent(String.self, forKey: .imageURL)
        url = try container.decodeIfPresent(String.self, forKey: .url)
        sku = try container.decodeIfPresent(String.self, forKey: .sku)
        category = try container.decodeIfPresent(String.self, forKey: .category)
        buttons = try container.decodeIfPresent([CardButton].self, forKey: .buttons) ?? []
    }
}

/// A button on a card: sends a payload back, or opens a web page.
public enum CardButton: Codable, Sendable, Hashable {
    case postback(title: String, payload: String)
    case url(title: String, url: String)

    public var title: String {
        switch self {
        case .postback(let title, _), .url(let title, _): title
        }
    }

    enum CodingKeys: String, CodingKey { case type, title, payload, url }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let title = try container.decode(String.self, forKey: .title)
        switch try container.decode(String.self, forKey: .type) {
        case "postback": self = .postback(title: title, payload: try container.decode(String.self, forKey: .payload))
        case "url": self = .url(title: title, url: try container.decode(String.self, forKey: .url))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown button type \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .postback(let title, let payload):
            try container.encode("postback", forKey: .type)
            try container.encode(title, forKey: .title)
            try container.encode(payload, forKey: .payload)
        case .url(let title, let url):
            try container.encode("url", forKey: .type)
            try container.encode(title, forKey: .title)
            try container.encode(url, forKey: .url)
        }
    }
}

/// A reference to a pre-approved message template (WhatsApp) with its parameters.
public struct TemplateReference: Codable, Sendable, Hashable {
    public var name: String
    public var language: String
    public var parameters: [String]

    public init(name: String, language: String, parameters: [String] = []) {
        self.name = name
        self.language = language
        self.parameters = parameters
    }
}

/// An image, video, audio clip or file to send.
public struct Media: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable { case image, video, audio, file }

    public var kind: Kind
    public var url: String
    public var caption: String?

    public init(kind: Kind, url: String, caption: String? = nil) {
        self.kind = kind
        self.url = url
        self.caption = caption
    }
}
