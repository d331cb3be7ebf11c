import ChatModel
import Foundation
import Markup

/// Reads SendGrid Inbound Parse posts (docs/channels.md §4.2–4.3): the default mode's decoded fields, each in
/// its own charset, or the raw mode's whole MIME message.
public struct SendGridInboundParse: Sendable {
    /// Attachments larger than this are refused.
    public var maxAttachmentBytes: Int
    /// The gateway's own sending address: mail from it is our own, come back.
    public var ownAddress: String?

    public init(maxAttachmentBytes: Int, ownAddress: String? = nil) {
        self.maxAttachmentBytes = maxAttachmentBytes
        self.ownAddress = ownAddress?.lowercased()
    }

    public func parse(_ body: [UInt8], contentType: String?) throws(InboundEmailError) -> InboundEmail {
        guard let contentType, MIMEHeader.value(of: contentType).lowercased() == "multipart/form-data",
            let boundary = MIMEHeader.parameter("boundary", of: contentType), !boundary.isEmpty
        else { throw .malformed("expected multipart/form-data with a boundary") }
        let parts: [MIMEPart]
        do {
            parts = try MIMEPart.parts(of: body, boundary: boundary)
        } catch {
            throw .malformed("the multipart body does not parse")
        }
        var fields: [String: MIMEPart] = [:]
        var files: [MIMEPart] = []
        for part in parts {
            guard let name = part.dispositionParameter("name") else { continue }
            if part.dispositionParameter("filename") != nil { files.append(part) } else if fields[name] == nil { fields[name] = part }
        }
        let charsets = json(fields["charsets"]) as? [String: String] ?? [:]
        func field(_ name: String) -> String? {
            fields[name].map { Charsets.decode($0.body, charset: charsets[name]) }
        }
        let envelope = json(fields["envelope"]) as? [String: Any]
        let fromHeader = field("from") ?? ""
        guard let sender = (envelope?["from"] as? String).flatMap(MIMEHeader.address) ?? MIMEHeader.address(fromHeader) else {
            throw .malformed("no sender: envelope.from is required")
        }
        var email = InboundEmail(from: sender, fromName: MIMEHeader.displayName(fromHeader), subject: field("subject") ?? "")
        email.spf = field("SPF")
        email.dkim = field("dkim")
        if let raw = fields["email"] {
            try read(MIMEPart.message(raw.body), into: &email)
        } else {
            let headers = MIMEPart(headers: MIMEHeader.parse(field("headers") ?? ""), body: [])
            readHeaders(headers, into: &email)
            email.text = field("text") ?? field("html").map(HTMLText.mail) ?? ""
            let info = json(fields["attachment-info"]) as? [String: [String: Any]] ?? [:]
            for file in files {
                let name = file.dispositionParameter("name") ?? ""
                let details = info[name]
                try attach(
                    name: details?["filename"] as? String ?? file.dispositionParameter("filename") ?? name,
                    type: details?["type"] as? String ?? file.mediaType, bytes: file.body.count, to: &email)
            }
        }
        return email
    }

    private func json(_ part: MIMEPart?) -> Any? {
        part.flatMap { try? JSONSerialization.jsonObject(with: Data($0.body)) }
    }

    /// The thread headers, the subject when the form had none, and whether a machine sent the mail.
    private func readHeaders(_ headers: MIMEPart, into email: inout InboundEmail) {
        email.isAutomatic = email.from == ownAddress || Self.isAutomatic(headers, sender: email.from)
        email.messageID = MIMEHeader.messageIDs(headers.header("Message-ID")).first
        email.inReplyTo = MIMEHeader.messageIDs(headers.header("In-Reply-To"))
        email.references = MIMEHeader.messageIDs(headers.header("References"))
        if email.subject.isEmpty, let subject = headers.header("Subject") { email.subject = subject }
    }

    /// RFC 3834 `Auto-Submitted`, the common auto-responder headers, bulk `Precedence`, or a mailer daemon.
    static func isAutomatic(_ headers: MIMEPart, sender: String) -> Bool {
        if let submitted = headers.header("Auto-Submitted")?.trimmingCharacters(in: .whitespaces).lowercased(), submitted != "no" { return true }
        if headers.header("X-Autoreply") != nil || headers.header("X-Autorespond") != nil {
            return true
        }
        if let precedence = headers.header("Precedence")?.trimmingCharacters(in: .whitespaces).lowercased(),
            ["bulk", "junk", "list", "auto_reply"].contains(precedence)
        {
            return true
        }
        let local = sender.split(separator: "@").first?.lowercased() ?? ""
        return ["mailer-daemon", "postmaster", "noreply", "no-reply", "donotreply"].contains(local)
    }

    private func attach(name: String, type: String, bytes: Int, to email: inout InboundEmail) throws(InboundEmailError) {
        guard bytes <= maxAttachmentBytes else { throw .attachmentTooLarge(name: name, bytes: bytes, limit: maxAttachmentBytes) }
        email.attachments.append(Attachment(kind: Attachment.Kind(mimeType: type), title: name, mimeType: type, size: bytes))
    }

    /// The raw mode's message: thread headers, the first plain and HTML texts, and every other leaf as an attachment.
    private func read(_ message: MIMEPart, into email: inout InboundEmail) throws(InboundEmailError) {
        readHeaders(message, into: &email)
        if email.fromName == nil { email.fromName = message.header("From").flatMap(MIMEHeader.displayName) }
        var plain: String?
        var html: String?
        func walk(_ part: MIMEPart, depth: Int) throws(InboundEmailError) {
            if part.mediaType.hasPrefix("multipart/"), let boundary = part.contentTypeParameter("boundary"), depth < 8 {
                let children: [MIMEPart]
                do {
                    children = try MIMEPart.parts(of: part.body, boundary: boundary)
                } catch {
                    throw .malformed("a multipart section of the message does not parse")
                }
                for child in children { try walk(child, depth: depth + 1) }
                return
            }
            let disposition = part.header("Content-Disposition").map { MIMEHeader.value(of: $0).lowercased() }
            if disposition != "attachment" {
                if part.mediaType == "text/plain", plain == nil { plain = part.text; return }
                if part.mediaType == "text/html", html == nil { html = part.text; return }
            }
            let name = part.dispositionParameter("filename") ?? part.contentTypeParameter("name") ?? "attachment"
            try attach(name: name, type: part.mediaType, bytes: part.decodedBody.count, to: &email)
        }
        try walk(message, depth: 0)
        email.text = plain ?? html.map(HTMLText.mail) ?? ""
    }
}

extension Attachment.Kind {
    /// The kind of a file by its media type.
    init(mimeType: String) {
        switch mimeType.split(separator: "/").first?.lowercased() {
        case "image": self = .image
        case "video": self = .video
        case "audio": self = .audio
        default: self = .file
        }
    }
}
