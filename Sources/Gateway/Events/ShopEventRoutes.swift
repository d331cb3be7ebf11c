import Channels
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// `POST /api/v1/events`: what the shop reports (carts, orders), signed with `SHOP_EVENTS_SECRET`
/// (`X-ChatBuddy-Signature: sha256=<hex HMAC-SHA256 of the body>`), stored once per event id.
struct ShopEventRoutes {
    let store: any Store
    /// The jobs each event asks for (reminders, updates).
    let proactive: ProactiveMessenger
    let jobs: JobWorker
    let clock: WallClock
    /// The same `sha256=<hex HMAC-SHA256>` scheme as Meta's webhooks, keyed with the shop's secret.
    let signature: MetaSignature

    /// The largest event taken.
    static let maxBodyBytes = 64 << 10
    static let signatureHeader = "X-ChatBuddy-Signature"

    init(store: any Store, secret: String, proactive: ProactiveMessenger, jobs: JobWorker, clock: WallClock) {
        self.store = store
        self.proactive = proactive
        self.jobs = jobs
        self.clock = clock
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
            let now = clock.now()
            let jobs = proactive.jobs(for: event, receivedAt: now)
            let stored = try await store.recordShopEvent(
                ShopEventRecord(
                    id: event.id, type: event.kind.rawValue, body: String(decoding: body, as: UTF8.self), customer: event.customer,
                    cartID: event.cartID, orderID: event.orderID, receivedAt: now),
                jobs: jobs)
            if stored, !jobs.isEmpty { await self.jobs.wake() }
            return try AdminRoutes.json(Receipt(id: event.id, duplicate: !stored), status: stored ? .accepted : .ok)
        }
    }

    /// The answer: the event's id, and whether it was stored before.
    struct Receipt: Encodable {
        var id: String
        var duplicate: Bool
    }
}
