import Crypto
import Foundation

/// One conversation per customer thread: a thread is named by the first message id of its chain, and our
/// own `Message-ID`s carry the thread's name, so a reply that quotes only ours still finds its thread.
public enum EmailThreading {
    /// The thread an inbound email belongs to: the root of its `References`, else ours it answers, else
    /// what it answers, else itself.
    public static func thread(of email: InboundEmail) -> String {
        for id in email.inReplyTo + email.references {
            if let thread = threadOfOurs(id) { return thread }
        }
        if let root = email.references.first(where: { threadOfOurs($0) == nil }) { return root }
        if let answered = email.inReplyTo.first { return answered }
        return email.messageID ?? "<\(fallbackID(email))>"
    }

    /// A `Message-ID` for a reply of ours in `thread`: `<cb.{thread, base64url}.{token}@{domain}>`.
    public static func messageID(thread: String, token: String, domain: String) -> String {
        let encoded = Data(thread.utf8).base64EncodedString()
            .replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
        return "<cb.\(encoded).\(token)@\(domain)>"
    }

    /// The thread named in one of our `Message-ID`s, or nil for someone else's.
    static func threadOfOurs(_ id: String) -> String? {
        guard id.hasPrefix("<cb."), let at = id.lastIndex(of: "@") else { return nil }
        let inner = id[id.index(id.startIndex, offsetBy: 4)..<at]
        guard let dot = inner.lastIndex(of: ".") else { return nil }
        var encoded = String(inner[..<dot]).replacing("-", with: "+").replacing("_", with: "/")
        while encoded.count % 4 != 0 { encoded += "=" }
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
    }

    /// A stable id for a message that came without one (sender, subject and text hashed).
    static func fallbackID(_ email: InboundEmail) -> String {
        let digest = SHA256.hash(data: Data((email.from + "\n" + email.subject + "\n" + email.text).utf8))
        return digest.prefix(12).map { String(format: "%02x", $0) }.joined() + "@chatbuddy.invalid"
    }
}
