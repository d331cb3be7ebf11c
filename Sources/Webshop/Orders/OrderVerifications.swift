import Foundation
import Storage

/// Failed order verifications kept in the store, per requester and per order number, across
/// conversations and channels: past `policy.maxFailures` in its window either one must wait out the
/// cool-down, whichever path (the order agent, the model's tool) asks.
public struct OrderVerifications: Sendable {
    let store: any Store
    let policy: VerificationPolicy

    public init(store: any Store, policy: VerificationPolicy = VerificationPolicy()) {
        self.store = store
        self.policy = policy
    }

    /// Throws `WebshopError.verificationLocked` while the requester or the order number is locked.
    func check(requester: String, order key: String, now: Date = Date()) async throws {
        if let until = try await store.verificationLockedUntil(subjects: Self.subjects(requester, key), now: now) {
            throw WebshopError.verificationLocked(until: until)
        }
    }

    /// Records the outcome of one verification.
    func record(requester: String, order key: String, verified: Bool, now: Date = Date()) async throws {
        if verified {
            try await store.clearVerificationFailures(subject: Self.requester(requester))
        } else {
            _ = try await store.recordVerificationFailure(subjects: Self.subjects(requester, key), policy: policy, now: now)
        }
    }

    private static func subjects(_ requester: String, _ key: String) -> [String] {
        [Self.requester(requester), "order:" + key.trimmingCharacters(in: .whitespaces).lowercased()]
    }

    private static func requester(_ requester: String) -> String {
        "requester:" + requester
    }
}
