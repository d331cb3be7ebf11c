import Foundation

/// One customer message from the widget or the REST turn, validated and normalized.
public struct WidgetInput: Sendable, Hashable {
    /// NFC-normalized text without control characters, trimmed.
    public var content: String
    /// The client's id for the message, used to drop resends.
    public var messageID: String?
    /// The payload of a tapped quick reply.
    public var quickReplyPayload: String?
    /// The payload of a tapped card button.
    public var postbackPayload: String?
    /// The shop's own id of the signed-in customer, if the page passes one.
    public var userID: String?

    /// Validates and normalizes; `maxCharacters` counts what a person sees (grapheme clusters).
    public init(
        content rawContent: String?, messageID: String?, quickReplyPayload: String? = nil, postbackPayload: String? = nil,
        userID: String?, maxCharacters: Int
    ) throws(WidgetError) {
        guard let rawContent else { throw WidgetError(.emptyMessage, "content is required") }
        let content = Self.normalize(rawContent)
        guard !content.isEmpty else { throw WidgetError(.emptyMessage, "the message has no text") }
        guard content.count <= maxCharacters else {
            throw WidgetError(.messageTooLong, "the message is longer than \(maxCharacters) characters")
        }
        if let messageID, !WidgetMessageID.isValid(messageID) {
            throw WidgetError(.invalidJSON, "message_id must be 1 to 64 letters, digits, '-' or '_'")
        }
        for payload in [quickReplyPayload, postbackPayload] {
            if let payload, payload.utf8.count > 1000 {
                throw WidgetError(.invalidJSON, "a payload is longer than 1000 bytes")
            }
        }
        if let userID, userID.utf8.count > 128 {
            throw WidgetError(.invalidJSON, "user_id is longer than 128 bytes")
        }
        self.content = content
        self.messageID = messageID
        self.quickReplyPayload = quickReplyPayload
        self.postbackPayload = postbackPayload
        self.userID = userID.map(Self.normalize).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Unicode NFC, line breaks unified to `\n`, control characters (but `\n` and `\t`) and bidirectional
    /// overrides removed, surrounding whitespace trimmed.
    public static func normalize(_ text: String) -> String {
        let composed = text.precomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in composed.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            switch scalar.value {
            case 0x0D: scalars.append("\n")
            case 0x0A where previousWasCR: continue
            case 0x09, 0x0A: scalars.append(scalar)
            case 0x00...0x1F, 0x7F...0x9F: continue
            case 0x202A...0x202E, 0x2066...0x2069: continue
            default: scalars.append(scalar)
            }
        }
        return String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
