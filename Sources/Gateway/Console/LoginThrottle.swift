import Foundation
import Synchronization

/// Failed console logins per account and per client address: after `limit` failures within `window`,
/// further attempts with that account or from that address are refused until the window has passed.
final class LoginThrottle: Sendable {
    private let limit: Int
    private let window: Duration
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    init(limit: Int = 5, window: Duration = .seconds(15 * 60)) {
        self.limit = limit
        self.window = window
    }

    /// Whether any of `keys` has used up its failures.
    func isLocked(_ keys: [String], now: ContinuousClock.Instant = .now) -> Bool {
        failures.withLock { failures in
            keys.contains { key in (failures[key] ?? []).filter { now - $0 < window }.count >= limit }
        }
    }

    /// Counts a failure against each of `keys`.
    func fail(_ keys: [String], now: ContinuousClock.Instant = .now) {
        failures.withLock { failures in
            for key in keys {
                var recent = (failures[key] ?? []).filter { now - $0 < window }
                recent.append(now)
                failures[key] = recent
            }
            // Keys whose failures have all aged out are dropped, so the table stays small.
            if failures.count > 10_000 { failures = failures.filter { $0.value.contains { now - $0 < window } } }
        }
    }
}
