import ChatModel

/// An email as SendGrid's Inbound Parse delivered it, decoded: who sent it, its thread headers, its text
/// and its attachments (described, not kept).
public struct InboundEmail: Sendable, Hashable {
    /// The sender's address, from the SMTP envelope.
    public var from: String
    public var fromName: String?
    public var subject: String
    /// `Message-ID`, with its angle brackets.
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    /// The plain-text body (or the HTML body as text when there is no plain one), quoted history included.
    public var text: String
    public var attachments: [Attachment]
    /// Sent by a machine (an out-of-office reply, a bounce, a list, our own address): answering it could
    /// start a mail loop.
    public var isAutomatic = false
    /// SendGrid's `SPF` verdict and `dkim` results (`{@domain : pass}`), when it sent them.
    public var spf: String?
    public var dkim: String?

    /// Whether the mail failed both SPF and DKIM: its sender address may be forged.
    public var failsAuthentication: Bool {
        guard let spf, let dkim else { return false }
        let spfPassed = spf.trimmingCharacters(in: .whitespaces).lowercased() == "pass"
        let dkimPassed = dkim.lowercased().replacing(" ", with: "").contains(":pass")
        return !spfPassed && !dkimPassed
    }

    public init(
        from: String, fromName: String? = nil, subject: String = "", messageID: String? = nil, inReplyTo: [String] = [],
        references: [String] = [], text: String = "", attachments: [Attachment] = []
    ) {
        self.from = from
        self.fromName = fromName
        self.subject = subject
        self.messageID = messageID
        self.inReplyTo = inReplyTo
        self.references = references
        self.text = text
        self.attachments = attachments
    }
}

/// Why an Inbound Parse post was refused.
public enum InboundEmailError: Error, Hashable {
    /// Not a parse post: the reason can be shown to the caller.
    case malformed(String)
    /// An attachment is larger than allowed.
    case attachmentTooLarge(name: String, bytes: Int, limit: Int)
}
