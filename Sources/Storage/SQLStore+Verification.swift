import Foundation

/// Failed order verifications, counted per subject (a participant, an order number) across conversations
/// and channels, so guessing an order's email or phone is slowed down wherever it is tried.
extension SQLStore {
    public func verificationLockedUntil(subjects: [String], now: Date) async throws -> Date? {
        guard !subjects.isEmpty else { return nil }
        let rows = try await database.query(
            """
            SELECT MAX(locked_until) AS until FROM verification_failures
            WHERE subject IN (\(list: subjects)) AND locked_until > \(now.milliseconds)
            """)
        return rows.first?.int("until").map(Date.init(milliseconds:))
    }

    public func recordVerificationFailure(subjects: [String], policy: VerificationPolicy, now: Date) async throws -> Date? {
        let at = now.milliseconds
        let windowStart = now.addingTimeInterval(-(policy.window / .seconds(1))).milliseconds
        return try await database.transaction { db in
            var lockedUntil: Int64?
            for subject in subjects {
                // A failure outside the window starts a new count.
                let rows = try await db.query(
                    """
                    INSERT INTO verification_failures (subject, failures, window_start) VALUES (\(subject), 1, \(at))
                    ON CONFLICT (subject) DO UPDATE SET
                        failures = CASE WHEN verification_failures.window_start < \(windowStart) THEN 1
                                        ELSE verification_failures.failures + 1 END,
                        window_start = CASE WHEN verification_failures.window_start < \(windowStart) THEN \(at)
                                            ELSE verification_failures.window_start END
                    RETURNING failures
                    """)
                guard let failures = rows.first?.int("failures"), failures >= policy.maxFailures else { continue }
                let until = now.addingTimeInterval(policy.coolDown / .seconds(1)).milliseconds
                try await db.query("UPDATE verification_failures SET locked_until = \(until) WHERE subject = \(subject)")
                lockedUntil = max(lockedUntil ?? until, until)
            }
            return lockedUntil.map(Date.init(milliseconds:))
        }
    }

    public func clearVerificationFailures(subject: String) async throws {
        try await database.query("DELETE FROM verification_failures WHERE subject = \(subject)")
    }
}
