import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Applies the retention policy at start and every `interval`: of several gateways on one database, the one
/// holding the `retention` lease does it each time.
struct RetentionWorker: Service {
    let store: any Store
    let policy: RetentionPolicy
    let interval: Duration
    let logger: Logger
    /// This gateway's name on the lease.
    private let holder = UUID().uuidString

    /// The name of the lease whose holder applies the policy.
    static let lease = "retention"

    init(store: any Store, policy: RetentionPolicy, interval: Duration = .seconds(3600), logger: Logger) {
        self.store = store
        self.policy = policy
        self.interval = interval
        self.logger = logger
    }

    func run() async throws {
        guard policy.conversations != nil || policy.silentWidgetSessions != nil || policy.deliveredPayloads != nil else { return }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await applyOnce()
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Applies the policy now, when no other gateway holds the lease for this round.
    func applyOnce(at date: Date = Date()) async {
        do {
            guard try await store.claimClusterLease(Self.lease, holder: holder, lease: interval, at: date) else { return }
            let outcome = try await store.applyRetention(policy, now: date)
            guard outcome != RetentionOutcome() else { return }
            logger.notice(
                "retention applied",
                metadata: [
                    "conversations": "\(outcome.conversations)", "silent_widget_sessions": "\(outcome.silentWidgetSessions)",
                    "delivered_outbox_rows": "\(outcome.deliveredPayloads)", "participants": "\(outcome.participants)",
                    "customers": "\(outcome.customers)",
                ])
        } catch {
            logger.error("cannot apply the retention policy; tried again next round", metadata: ["error": "\(error)"])
        }
    }
}
