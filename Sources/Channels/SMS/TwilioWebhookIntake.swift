import Foundation

/// Twilio's webhook intake: inbound messages at `POST /webhooks/sms`, our messages' delivery at
/// `POST /webhooks/sms/status`, both form posts signed over the exact public URL (`X-Twilio-Signature`,
/// docs/channels.md §3.2) and answered with empty TwiML (replies go through the Messages API).
public struct TwilioWebhookIntake: WebhookIntake {
    public let signature: TwilioSignature
    public let maxBodyBytes: Int

    /// Twilio's empty TwiML answer.
    public static let emptyTwiML = #"<?xml version="1.0" encoding="UTF-8"?><Response />"#

    public init(authToken: String, maxBodyBytes: Int) {
        self.signature = TwilioSignature(authToken: authToken)
        self.maxBodyBytes = maxBodyBytes
    }

    public var routes: [WebhookRoute] { [WebhookRoute(.post), WebhookRoute(.post, "status")] }

    public func handle(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookIntakeResult {
        guard let header = request.header("X-Twilio-Signature") else {
            throw .unauthorized("missing_signature", "X-Twilio-Signature is required")
        }
        let fields = FormEncoding.decode(String(decoding: request.body, as: UTF8.self))
        guard signature.isValid(header: header, url: request.publicURL, parameters: fields) else {
            throw .unauthorized("invalid_signature", "X-Twilio-Signature does not match this URL and the form")
        }
        var batch = WebhookBatch()
        do {
            if request.route.subpath == "status" {
                let outboxKey = request.query[TwilioSender.outboxParameter].flatMap { $0.isEmpty ? nil : $0 }
                if let status = try TwilioWebhook().status(fields, outboxKey: outboxKey) {
                    batch.events = [status]
                } else {
                    batch.ignored = ["status:" + (fields.first { $0.0 == "MessageStatus" }?.1 ?? "")]
                }
            } else {
                batch.events = [try TwilioWebhook().message(fields)]
            }
        } catch {
            throw .malformed(error.reason)
        }
        return .events(batch, acknowledgement: WebhookReply(contentType: "text/xml; charset=utf-8", body: Self.emptyTwiML))
    }
}
