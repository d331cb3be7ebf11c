import Channels
import ChatModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// `GET` and `POST /webhooks/<channel>` of a Meta platform (Messenger, WhatsApp): the verification
/// handshake and signed event delivery, one implementation for both.
struct MetaWebhookRoutes {
    /// What differs between the Meta channels.
    struct Source: Sendable {
        var verifyToken: String
        var appSecret: String
        var maxBodyBytes: Int
        /// The events of a signed body and the kinds it carried that the gateway ignores.
        var parse: @Sendable (Data) throws(MalformedWebhookBody) -> WebhookBatch
    }

    let channel: ChatModel.Channel
    let name: String
    let config: Source?
    let inbox: Inbox
    let metrics: GatewayMetrics
    private let signature: MetaSignature?

    init(channel: ChatModel.Channel, name: String, source: Source?, inbox: Inbox, metrics: GatewayMetrics) {
        self.channel = channel
        self.name = name
        self.config = source
        self.inbox = inbox
        self.metrics = metrics
        self.signature = source.map { MetaSignature(appSecret: $0.appSecret) }
    }

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/webhooks/\(channel.rawValue)") { request, _ in try verify(request) }
        router.post("/webhooks/\(channel.rawValue)") { request, context in try await receive(request, context: context) }
    }

    private func verify(_ request: Request) throws -> Response {
        guard let config else { throw APIError.notFound("\(name) is not configured") }
        let query = request.uri.queryParameters
        let challenge = MetaVerification(verifyToken: config.verifyToken).challenge(
            mode: query["hub.mode"].map(String.init),
            token: query["hub.verify_token"].map(String.init),
            challenge: query["hub.challenge"].map(String.init))
        guard let challenge else {
            throw APIError(.forbidden, "verification_failed", "hub.mode or hub.verify_token does not match")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: challenge)))
    }

    private func receive(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let config, let signature else { throw APIError.notFound("\(name) is not configured") }
        let signatureHeader = request.headers[HTTPField.Name("X-Hub-Signature-256")!]
        guard signatureHeader != nil else {
            metrics.webhook(channel, result: "unauthorized")
            throw APIError(.unauthorized, "missing_signature", "X-Hub-Signature-256 is required")
        }
        let body = try await request.webhookBody(upTo: config.maxBodyBytes, channel: channel, metrics: metrics)
        let signed = body.withUnsafeReadableBytes { signature.isValid(header: signatureHeader, body: $0) }
        guard signed else {
            metrics.webhook(channel, result: "unauthorized")
            throw APIError(.unauthorized, "invalid_signature", "X-Hub-Signature-256 does not match the body")
        }
        let batch: WebhookBatch
        do {
            batch = try config.parse(Data(body.readableBytesView))
        } catch {
            metrics.webhook(channel, result: "malformed")
            throw APIError(.badRequest, "malformed_body", error.reason)
        }
        for kind in batch.ignored {
            metrics.ignoredEvent(channel, kind: kind)
        }
        if !batch.ignored.isEmpty {
            context.logger.info("webhook carried event kinds the gateway ignores", metadata: ["kinds": "\(batch.ignored)"])
        }
        let outcome: AcceptOutcome
        do {
            outcome = try await inbox.accept(batch.events, channel: channel)
        } catch {
            metrics.webhook(channel, result: "store_unavailable")
            context.logger.error("cannot store webhook events", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "store_unavailable", "events could not be stored; retry later")
        }
        let result = outcome.stored == 0 && outcome.duplicates > 0 ? "duplicate" : "accepted"
        metrics.webhook(channel, result: result)
        context.logger.debug(
            "webhook stored",
            metadata: ["stored": "\(outcome.stored)", "duplicates": "\(outcome.duplicates)", "receipts": "\(outcome.receipts)"])
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: "EVENT_RECEIVED")))
    }
}
