import Synchronization

/// Token buckets by key (a session, a client address): each key may take `burst` at once and regains
/// tokens at a steady rate. Full buckets are forgotten now and then, so memory follows active keys only.
final class TokenBucketLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private struct State {
        var buckets: [String: Bucket] = [:]
        var takesSincePrune = 0
    }

    private let capacity: Double
    private let tokensPerSecond: Double
    private let state = Mutex(State())
    private let clock = ContinuousClock()

    init(_ limit: GatewayConfig.RateLimit) {
        capacity = Double(limit.burst)
        tokensPerSecond = Double(limit.perMinute) / 60
    }

    /// Takes a token for `key`; nil when allowed, else how long until one is available.
    func take(_ key: String) -> Duration? {
        let now = clock.now
        return state.withLock { state in
            state.takesSincePrune += 1
            if state.takesSincePrune >= 4096 {
                state.takesSincePrune = 0
                prune(&state.buckets, now: now)
            }
            var bucket = state.buckets[key] ?? Bucket(tokens: capacity, updated: now)
            bucket.tokens = min(capacity, bucket.tokens + ((now - bucket.updated) / .seconds(1)) * tokensPerSecond)
            bucket.updated = now
            defer { state.buckets[key] = bucket }
            guard bucket.tokens >= 1 else {
                return .milliseconds(Int64(((1 - bucket.tokens) / tokensPerSecond * 1000).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    /// Drops buckets that have refilled completely: they behave exactly like absent ones.
    private func prune(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant) {
        let refill = capacity / tokensPerSecond
        buckets = buckets.filter { _, bucket in ((now - bucket.updated) / .seconds(1)) < refill }
    }
}
