import ChatModel
import Foundation

/// SendGrid's intake. Inbound Parse at `POST /webhooks/email?token=…` (the token in the URL is the only
/// proof the post is SendGrid's, docs/channels.md §4.2), a multipart form read into one event per
/// mail; automatic mail (out-of-office, bounces, our own) is acknowledged and not answered. With the
/// Event Webhook's public key set, also the signed Event Webhook at `POST /webhooks/email/events`
/// (§4.7), read into receipts of our mail.
public struct SendGridWebhookIntake: WebhookIntake {
    public let inboundToken: String
    public let parser: SendGridInboundParse
    public let maxBodyBytes: Int
    /// The Event Webhook's key; nil when it is not used.
    public let eventSignature: SendGridEventSignature?

    public init(inboundToken: String, parser: SendGridInboundParse, maxBodyBytes: Int, eventSignature: SendGridEventSignature? = nil) {
        self.inboundToken = inboundToken
        self.parser = parser
        self.maxBodyBytes = maxBodyBytes
        self.eventSignature = eventSignature
    }

    public var routes: [WebhookRoute] {
        [WebhookRoute(.post)] + (eventSignature == nil ? [] : [WebhookRoute(.post, Self.eventsPath)])
    }

    /// Where the Event Webhook posts, below `/webhooks/email`.
    public static let eventsPath = "events"

    public func handle(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookIntakeResult {
        if request.route.subpath == Self.eventsPath { return try events(request) }
        guard let token = request.query["token"], ConstantTime.equals(token, inboundToken) else {
            throw .unauthorized("invalid_token", "the token in the Inbound Parse URL is missing or wrong")
        }
        let email: InboundEmail
        do {
            email = try parser.parse(request.body, contentType: request.header("Content-Type"))
        } catch {
            switch error {
            case .attachmentTooLarge(let name, let bytes, let limit):
                throw WebhookRejection(
                    status: 413, code: "attachment_too_large", message: "attachment \(name) has \(bytes) bytes; at most \(limit) are taken",
                    metric: "too_large")
            case .malformed(let reason):
                throw .malformed(reason)
            }
        }
        let ok = WebhookReply(body: "OK")
        // Answering an out-of-office reply, a bounce or our own mail could start a mail loop.
        if email.isAutomatic { return .reply(ok, ignored: ["automatic"]) }
        let words = EmailReplyText.newText(email.text)
        let thread = EmailThreading.thread(of: email)
        let event = InboundEvent(
            conversation: ConversationKey(channel: .email, accountID: thread, userID: email.from),
            platformID: email.messageID ?? thread, timestamp: Date(),
            content: email.attachments.isEmpty ? .text(words) : .attachments(email.attachments, caption: words.isEmpty ? nil : words),
            senderName: email.fromName, subject: email.subject, senderUnverified: email.failsAuthentication ? true : nil)
        return .events(WebhookBatch(events: [event]), acknowledgement: ok)
    }

    /// The Event Webhook: signed events about our mail, as receipts.
    private func events(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookIntakeResult {
        guard let eventSignature else { throw WebhookRejection(status: 404, code: "not_found", message: "no such webhook", metric: "not_found") }
        let signature = request.header(SendGridEventSignature.signatureHeader)
        let timestamp = request.header(SendGridEventSignature.timestampHeader)
        guard signature != nil, timestamp != nil else {
            throw .unauthorized("missing_signature", "\(SendGridEventSignature.signatureHeader) and \(SendGridEventSignature.timestampHeader) are required")
        }
        guard eventSignature.isValid(signature: signature, timestamp: timestamp, body: request.body) else {
            throw .unauthorized("invalid_signature", "\(SendGridEventSignature.signatureHeader) does not match the timestamp and the body")
        }
        do {
            return .events(try SendGridEvents().receipts(request.body), acknowledgement: WebhookReply(body: "OK"))
        } catch {
            throw .malformed(error.reason)
        }
    }
}
