import Channels
import Storage
import Synchronization

/// Send outcomes the store could not record, by outbox id: the row is still pending in the store, but
/// the platform already answered, so the next attempt records this outcome instead of sending again.
final class UnrecordedOutcomes: Sendable {
    private let outcomes = Mutex<[OutboxID: DeliveryOutcome]>([:])

    /// Remembers `outcome` for the row `id` until it is recorded.
    func keep(_ outcome: DeliveryOutcome, for id: OutboxID) {
        outcomes.withLock { $0[id] = outcome }
    }

    /// The outcome waiting to be recorded for `id`, removed from the list.
    func take(_ id: OutboxID) -> DeliveryOutcome? {
        outcomes.withLock { $0.removeValue(forKey: id) }
    }
}
