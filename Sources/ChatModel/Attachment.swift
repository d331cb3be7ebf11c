/// A file, media item or sticker a customer sent.
public struct Attachment: Codable, Sendable, Hashable {
    /// The kind of attachment, as the platforms name them.
    public enum Kind: String, Codable, Sendable, Hashable {
        case image, video, audio, file, sticker, reel
        case igReel = "ig_reel"
        /// A contact card the customer shared.
        case contact
        /// A shared link the platform could not expand into media.
        case fallback
        case unknown
    }

    public var kind: Kind
    public var url: String?
    public var title: String?
    public var mimeType: String?
    public var stickerID: String?
    /// The platform's media id, for platforms that give an id to fetch the file by (WhatsApp).
    public var mediaID: String?
    /// Whether an audio clip was recorded as a voice message.
    public var voice: Bool?
    /// The file's size in bytes, when the platform says (email).
    public var size: Int?

    public init(
        kind: Kind, url: String? = nil, title: String? = nil, mimeType: String? = nil, stickerID: String? = nil,
        mediaID: String? = nil, voice: Bool? = nil, size: Int? = nil
    ) {
        self.kind = kind
        self.url = url
        self.title = title
        self.mimeType = mimeType
        self.stickerID = stickerID
        self.mediaID = mediaID
        self.voice = voice
        self.size = size
    }
}

/// A place a customer shared.
public struct Location: Codable, Sendable, Hashable {
    public var latitude: Double
    public var longitude: Double
    public var name: String?
    public var address: String?

    public init(latitude: Double, longitude: Double, name: String? = nil, address: String? = nil) {
        self.latitude = latitude
        self.longitude = longitude
        self.name = name
        self.address = address
    }
}

/// An emoji reaction added to or removed from one of the conversation's messages.
public struct Reaction: Codable, Sendable, Hashable {
    public var emoji: String
    /// The platform's name for the reaction (`love`, `like`, …) when it gives one.
    public var name: String?
    public var removed: Bool
    /// The platform id of the message reacted to.
    public var messageID: String

    public init(emoji: String, name: String? = nil, removed: Bool, messageID: String) {
        self.emoji = emoji
        self.name = name
        self.removed = removed
        self.messageID = messageID
    }
}

/// Where a customer came from: an m.me link, an ad, a QR code.
public struct Referral: Codable, Sendable, Hashable {
    public var ref: String?
    public var source: String?
    public var type: String?
    public var adID: String?

    public init(ref: String? = nil, source: String? = nil, type: String? = nil, adID: String? = nil) {
        self.ref = ref
        self.source = source
        self.type = type
        self.adID = adID
    }
}
