import Foundation

/// The webhook intake of a Meta platform (Messenger, WhatsApp): `GET` answers the subscription handshake,
/// `POST` takes notifications signed with the app secret (`X-Hub-Signature-256`, docs/channels.md §1.2).
public struct MetaWebhookIntake: WebhookIntake {
    public let verification: MetaVerification
    public let signature: MetaSignature
    public let maxBodyBytes: Int
    /// The events of a signed body and the kinds it carried that the gateway ignores.
    public let parse: @Sendable ([UInt8]) throws(MalformedWebhookBody) -> WebhookBatch

    public init(
        verifyToken: String, appSecret: String, maxBodyBytes: Int,
        parse: @escaping @Sendable ([UInt8]) throws(MalformedWebhookBody) -> WebhookBatch
    ) {
        self.verification = MetaVerification(verifyToken: verifyToken)
        self.signature = MetaSignature(appSecret: appSecret)
        self.maxBodyBytes = maxBodyBytes
        self.parse = parse
    }

    public var routes: [WebhookRoute] { [WebhookRoute(.get), WebhookRoute(.post)] }

    public func handle(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookIntakeResult {
        if request.route.method == .get {
            guard let challenge = verification.challenge(
                mode: request.query["hub.mode"], token: request.query["hub.verify_token"], challenge: request.query["hub.challenge"])
            else {
                throw WebhookRejection(
                    status: 403, code: "verification_failed", message: "hub.mode or hub.verify_token does not match", metric: "unauthorized")
            }
            return .reply(WebhookReply(body: challenge))
        }
        guard let header = request.header("X-Hub-Signature-256") else {
            throw .unauthorized("missing_signature", "X-Hub-Signature-256 is required")
        }
        guard request.body.withUnsafeBytes({ signature.isValid(header: header, body: $0) }) else {
            throw .unauthorized("invalid_signature", "X-Hub-Signature-256 does not match the body")
        }
        do {
            return .events(try parse(request.body), acknowledgement: WebhookReply(body: "EVENT_RECEIVED"))
        } catch {
            throw .malformed(error.reason)
        }
    }
}
