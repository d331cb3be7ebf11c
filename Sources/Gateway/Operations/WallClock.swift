import Foundation

/// The time scheduled work reads (jobs, proactive messages, the outbox): the system's, or in tests one
/// moved ahead while it keeps running, so a wait of hours passes at once.
public struct WallClock: Sendable {
    private let shift: @Sendable () -> TimeInterval

    /// The system clock.
    public static let system = WallClock { 0 }

    /// A clock `shift()` seconds ahead of the system's.
    public init(shift: @escaping @Sendable () -> TimeInterval) {
        self.shift = shift
    }

    /// The current time.
    public func now() -> Date {
        Date().addingTimeInterval(shift())
    }
}
