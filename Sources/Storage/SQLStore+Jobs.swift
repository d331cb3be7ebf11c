import Foundation

/// Durable jobs: stored with the change that asks for them, claimed with a lease, retried, and given up.
extension SQLStore {
    public func enqueueJobs(_ jobs: [JobDraft], at date: Date) async throws {
        let now = date.milliseconds
        try await database.transaction { db in try await Self.insertJobs(jobs, db: db, now: now) }
    }

    static func insertJobs(_ jobs: [JobDraft], db: any SQLExecutor, now: Int64) async throws {
        for job in jobs {
            try await db.query(
                """
                INSERT INTO jobs (kind, payload, state, run_at, attempts, created_at, updated_at)
                VALUES (\(job.kind), \(job.payload), \(JobState.pending.rawValue), \(job.runAt.milliseconds), 0, \(now), \(now))
                """)
        }
    }

    public func claimJobs(now date: Date, lease: Duration, limit: Int) async throws -> [JobRecord] {
        let now = date.milliseconds
        let until = now + lease.milliseconds
        // A lease that ran out (its worker died) makes the job claimable again.
        let lock = database.dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        let rows = try await database.query(
            """
            UPDATE jobs SET lease_until = \(until), attempts = attempts + 1, updated_at = \(now)
            WHERE id IN (
                SELECT id FROM jobs
                WHERE state = 'pending' AND run_at <= \(now) AND (lease_until IS NULL OR lease_until <= \(now))
                ORDER BY run_at, id LIMIT \(limit) \(unsafeRaw: lock))
            RETURNING id, kind, payload, attempts
            """)
        return try rows.map { row in
            JobRecord(
                id: try row.requireID("id"), kind: try row.requireString("kind"), payload: try row.requireString("payload"),
                attempts: Int(try row.requireInt("attempts")))
        }
    }

    public func finishJob(_ id: JobID, at date: Date) async throws {
        try await database.query(
            "UPDATE jobs SET state = \(JobState.done.rawValue), lease_until = NULL, last_error = NULL, updated_at = \(date.milliseconds) WHERE id = \(id)")
    }

    public func retryJob(_ id: JobID, runAt: Date, error: String, at date: Date) async throws {
        try await database.query(
            """
            UPDATE jobs SET run_at = \(runAt.milliseconds), lease_until = NULL, last_error = \(error), updated_at = \(date.milliseconds)
            WHERE id = \(id)
            """)
    }

    public func postponeJob(_ id: JobID, until runAt: Date, at date: Date) async throws {
        try await database.query(
            """
            UPDATE jobs SET run_at = \(runAt.milliseconds), lease_until = NULL, attempts = 0, last_error = NULL, updated_at = \(date.milliseconds)
            WHERE id = \(id)
            """)
    }

    public func failJob(_ id: JobID, error: String, at date: Date) async throws {
        try await database.query(
            """
            UPDATE jobs SET state = \(JobState.dead.rawValue), lease_until = NULL, last_error = \(error), updated_at = \(date.milliseconds)
            WHERE id = \(id)
            """)
    }

    public func announce(_ topic: String, _ payload: String) async throws {
        try await database.notify(topic, payload)
    }

    public func announcements(_ topic: String) -> AsyncThrowingStream<String, any Error> {
        database.listen(topic)
    }

    public func claimClusterLease(_ name: String, holder: String, lease: Duration, at date: Date) async throws -> Bool {
        let now = date.milliseconds
        let until = now + lease.milliseconds
        // One statement, so two gateways claiming at once cannot both win: the row is inserted or, when its
        // lease ran out or is the holder's own, taken; otherwise nothing is returned.
        return try await !database.query(
            """
            INSERT INTO cluster_leases (name, holder, lease_until) VALUES (\(name), \(holder), \(until))
            ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, lease_until = excluded.lease_until
            WHERE cluster_leases.lease_until <= \(now) OR cluster_leases.holder = excluded.holder
            RETURNING name
            """
        ).isEmpty
    }

    public func releaseClusterLease(_ name: String, holder: String) async throws {
        try await database.query("DELETE FROM cluster_leases WHERE name = \(name) AND holder = \(holder)")
    }

    public func nextJobDue() async throws -> Date? {
        try await database.query("SELECT MIN(run_at) AS due FROM jobs WHERE state = 'pending'").first?.int("due")
            .map(Date.init(milliseconds:))
    }
}
