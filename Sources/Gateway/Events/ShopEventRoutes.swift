import Channels
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// `POST /api/v1/events`: what the shop reports (carts, orders), signed with `SHOP_EVENTS_SECRET`
/// (`X-ChatBuddy-Signature: sha256=<hex HMAC-SHA256 of the body>`), stored once per event id.
struct ShopEventRoutes {
    let events: ShopEventRecorder
    /// The same `sha256=<hex HMAC-SHA256>` scheme as Meta's webhooks, keyed with the shop's secret.
    let signature: MetaSignature

    /// The largest event taken.
    static let maxBodyBytes = 64 << 10
    static let signatureHeader = "X-ChatBuddy-Signature"

    init(events: ShopEventRecorder, secret: String) {
        self.events = events
        self.signature = MetaSignature(appSecret: secret)
    }

    func add(to router: Router<GatewayRequestContext>) {
        router.post("/api/v1/events") { request, _ in
            let buffer: ByteBuffer
            do {
                buffer = try await request.body.collect(upTo: Self.maxBodyBytes)
            } catch {
                throw APIError(.contentTooLarge, "payload_too_large", "an event is at most \(Self.maxBodyBytes) bytes")
            }
            let body = Array(buffer.readableBytesView)
            let header = HTTPField.Name(Self.signatureHeader).flatMap { request.headers[$0] }
            guard body.withUnsafeBytes({ signature.isValid(header: header, body: $0) }) else {
                throw APIError(.unauthorized, "invalid_signature", "\(Self.signatureHeader) must be sha256=<hex HMAC-SHA256 of the body>")
            }
            let event = try ShopEvent(body)
            let stored = try await events.record(event, body: String(decoding: body, as: UTF8.self))
            return try AdminRoutes.json(Receipt(id: event.id, duplicate: !stored), status: stored ? .accepted : .ok)
        }
    }

    /// The answer: the event's id, and whether it was stored before.
    struct Receipt: Encodable {
        var id: String
        var duplicate: Bool
    }
}
