import Foundation
import Storage

/// Stores a shop event once, with the jobs it asks for (a cart's reminder, an order's update), from the shop's
/// server (`POST /api/v1/events`) or its page through the widget (`ChatBuddy.track`).
struct ShopEventRecorder: Sendable {
    let store: any Store
    let proactive: ProactiveMessenger
    let jobs: JobWorker
    let clock: WallClock

    /// Stores `event` (its JSON `body` as received); false when an event with its id was stored before.
    func record(_ event: ShopEvent, body: String) async throws -> Bool {
        let now = clock.now()
        let jobs = proactive.jobs(for: event, receivedAt: now)
        let stored = try await store.recordShopEvent(
            ShopEventRecord(
                id: event.id, type: event.kind.rawValue, body: body, customer: event.customer, cartID: event.cartID, orderID: event.orderID,
                receivedAt: now),
            jobs: jobs)
        if stored, !jobs.isEmpty { await self.jobs.wake() }
        return stored
    }
}
