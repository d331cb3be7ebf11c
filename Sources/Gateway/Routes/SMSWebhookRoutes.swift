import Channels
import ChatModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// `POST /webhooks/sms` and `POST /webhooks/sms/status`: Twilio's signed form posts of inbound messages and
/// of our messages' delivery, stored before they are acknowledged.
struct SMSWebhookRoutes {
    let config: GatewayConfig.SMS?
    /// The address Twilio calls, which it signs (`PUBLIC_BASE_URL`).
    let publicBaseURL: String
    let inbox: Inbox
    let metrics: GatewayMetrics

    /// Twilio's empty TwiML answer: the reply goes through the Messages API instead.
    static let emptyTwiML = #"<?xml version="1.0" encoding="UTF-8"?><Response />"#

    func add(to router: Router<GatewayRequestContext>) {
        router.post("/webhooks/sms") { request, context in
            try await receive(request, context: context) { fields throws(MalformedWebhookBody) in
                [try TwilioWebhook().message(fields)]
            }
        }
        router.post("/webhooks/sms/status") { request, context in
            try await receive(request, context: context) { fields throws(MalformedWebhookBody) in
                try TwilioWebhook().status(fields).map { [$0] } ?? []
            }
        }
    }

    private func receive(
        _ request: Request, context: GatewayRequestContext,
        parse: ([(String, String)]) throws(MalformedWebhookBody) -> [InboundEvent]
    ) async throws -> Response {
        guard let config else { throw APIError.notFound("SMS is not configured") }
        let header = request.headers[HTTPField.Name("X-Twilio-Signature")!]
        guard header != nil else {
            metrics.webhook(.sms, result: "unauthorized")
            throw APIError(.unauthorized, "missing_signature", "X-Twilio-Signature is required")
        }
        let body = try await request.webhookBody(upTo: config.maxBodyBytes, channel: .sms, metrics: metrics)
        let fields = FormEncoding.decode(String(decoding: body.readableBytesView, as: UTF8.self))
        let url = publicBaseURL + request.uri.description
        guard TwilioSignature(authToken: config.authToken).isValid(header: header, url: url, parameters: fields) else {
            metrics.webhook(.sms, result: "unauthorized")
            throw APIError(.unauthorized, "invalid_signature", "X-Twilio-Signature does not match this URL and the form")
        }
        let events: [InboundEvent]
        do {
            events = try parse(fields)
        } catch {
            metrics.webhook(.sms, result: "malformed")
            throw APIError(.badRequest, "malformed_body", error.reason)
        }
        if events.isEmpty { metrics.ignoredEvent(.sms, kind: "status:" + (fields.first { $0.0 == "MessageStatus" }?.1 ?? "")) }
        do {
            let outcome = try await inbox.accept(events, channel: .sms)
            metrics.webhook(.sms, result: outcome.stored == 0 && outcome.duplicates > 0 ? "duplicate" : "accepted")
        } catch {
            metrics.webhook(.sms, result: "store_unavailable")
            context.logger.error("cannot store webhook events", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "store_unavailable", "events could not be stored; retry later")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/xml; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: Self.emptyTwiML)))
    }
}
