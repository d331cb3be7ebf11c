import ChatModel
import Foundation

/// Turns Twilio's form-encoded webhooks into normalized events: inbound messages (docs/channels.md §3.1) and
/// status callbacks of our messages (§3.3).
public struct TwilioWebhook: Sendable {
    public init() {}

    /// An inbound SMS or MMS: the text, or the media with the text as its caption.
    public func message(_ fields: [(String, String)], at date: Date = Date()) throws(MalformedWebhookBody) -> InboundEvent {
        let form = Self.fields(fields)
        let sid = try Self.required("MessageSid", form)
        let from = try Self.required("From", form)
        let to = try Self.required("To", form)
        let body = form["Body"] ?? ""
        // At most 10 media (Twilio's own limit); a negative or absurd count reads none beyond what is there.
        let count = max(0, min(Int(form["NumMedia"] ?? "0") ?? 0, 10))
        var media: [Attachment] = []
        for index in 0..<count {
            guard let url = form["MediaUrl\(index)"] else { continue }
            let type = form["MediaContentType\(index)"]
            media.append(Attachment(kind: Self.kind(of: type), url: url, mimeType: type))
        }
        let content: InboundContent = media.isEmpty ? .text(body) : .attachments(media, caption: body.isEmpty ? nil : body)
        return InboundEvent(
            conversation: ConversationKey(channel: .sms, accountID: to, userID: from), platformID: sid, timestamp: date, content: content)
    }

    /// A status callback, as a receipt of our message; `outboxKey` is the row our callback URL named
    /// (docs/channels.md §7). Nil for statuses the gateway does not track (`queued`, `sending`, `accepted`, …)
    /// unless they confirm a send of ours.
    public func status(_ fields: [(String, String)], outboxKey: String? = nil, at date: Date = Date()) throws(MalformedWebhookBody) -> InboundEvent? {
        let form = Self.fields(fields)
        let sid = try Self.required("MessageSid", form)
        let status = try Self.required("MessageStatus", form)
        let mapped: DeliveryStatus
        switch status {
        case "sent": mapped = .sent
        case "delivered": mapped = .delivered
        case "read": mapped = .read
        case "undelivered", "failed": mapped = .failed
        default:
            // Twilio took the message, whatever it does with it next.
            guard outboxKey != nil else { return nil }
            mapped = .sent
        }
        let error = form["ErrorCode"].flatMap { $0.isEmpty ? nil : $0 }.map { code in
            [code, Self.errorTitles[code]].compactMap { $0 }.joined(separator: ": ")
        }
        return InboundEvent(
            conversation: ConversationKey(channel: .sms, accountID: form["From"] ?? "", userID: form["To"] ?? ""),
            platformID: "status:\(sid):\(status)", timestamp: date,
            content: .receipt(Receipt(
                status: mapped, messageIDs: [sid], error: error, recipientOptedOut: form["ErrorCode"] == Self.optedOutError,
                outboxKey: outboxKey)))
    }

    /// Twilio's error for a number that has opted out (STOP): sending to it again needs a START.
    public static let optedOutError = "21610"

    static let errorTitles = [
        "21610": "recipient has opted out", "21211": "invalid To number", "21408": "region not enabled",
        "30003": "unreachable handset", "30005": "unknown handset", "30006": "landline or unreachable carrier",
        "30007": "filtered by the carrier", "30008": "unknown error",
    ]

    private static func fields(_ list: [(String, String)]) -> [String: String] {
        Dictionary(list, uniquingKeysWith: { first, _ in first })
    }

    private static func required(_ name: String, _ form: [String: String]) throws(MalformedWebhookBody) -> String {
        guard let value = form[name], !value.isEmpty else { throw MalformedWebhookBody(reason: "\(name) is required") }
        return value
    }

    private static func kind(of type: String?) -> Attachment.Kind {
        switch type?.split(separator: "/").first {
        case "image": .image
        case "video": .video
        case "audio": .audio
        default: .file
        }
    }
}
