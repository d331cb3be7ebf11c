import ChatModel
import Foundation

/// SendGrid Inbound Parse's intake: `POST /webhooks/email?token=…` (the token in the URL is the only
/// proof the post is SendGrid's, docs/channels.md §4.2), a multipart form read into one event per
/// mail. Automatic mail (out-of-office, bounces, our own) is acknowledged and not answered.
public struct SendGridWebhookIntake: WebhookIntake {
    public let inboundToken: String
    public let parser: SendGridInboundParse
    public let maxBodyBytes: Int

    public init(inboundToken: String, parser: SendGridInboundParse, maxBodyBytes: Int) {
        self.inboundToken = inboundToken
        self.parser = parser
        self.maxBodyBytes = maxBodyBytes
    }

    public var routes: [WebhookRoute] { [WebhookRoute(.post)] }

    public func handle(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookIntakeResult {
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
}
