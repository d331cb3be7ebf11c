/// A SendGrid v3 `mail/send` request body (docs/channels.md §4.4): one recipient, the plain-text and
/// HTML parts, and the threading and unsubscribe headers.
public struct SendGridMail: Codable, Sendable, Hashable {
    public var personalizations: [Personalization]
    public var from: Address
    public var replyTo: Address?
    public var subject: String
    /// `text/plain` first, then `text/html`, as SendGrid requires.
    public var content: [Content]
    public var headers: [String: String]

    enum CodingKeys: String, CodingKey {
        case personalizations, from, replyTo = "reply_to", subject, content, headers
    }

    public struct Personalization: Codable, Sendable, Hashable {
        public var to: [Address]
    }

    public struct Address: Codable, Sendable, Hashable {
        public var email: String
        public var name: String?
    }

    public struct Content: Codable, Sendable, Hashable {
        public var type: String
        public var value: String
    }
}
