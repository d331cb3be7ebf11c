/// Exponential backoff with jitter for delivery retries.
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration

    public init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
    }

    /// The wait before attempt `attempt + 1`: `initial · 2^(attempt-1)`, capped, with half of it random;
    /// never shorter than the platform's `Retry-After`.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let base = min(initial * (1 << exponent), maximum)
        let jittered = base / 2 + base / 2 * Double.random(in: 0...1)
        guard let retryAfter else { return jittered }
        return max(jittered, retryAfter)
    }
}
