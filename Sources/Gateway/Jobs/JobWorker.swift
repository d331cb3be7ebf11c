import Channels
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// What became of one attempt at a job.
enum JobResult: Sendable, Hashable {
    case done
    /// Try again later (the target was unreachable or busy).
    case retry(String)
    /// Give up (the target refused it for good).
    case failed(String)
    /// Not now: run it again at this time, as a fresh job (quiet hours, the next batch of a campaign).
    case later(Date)
}

/// Something that runs one kind of job.
protocol JobHandler: Sendable {
    /// The `kind`s it runs.
    var kinds: [String] { get }
    /// Runs one attempt at `job`; `now` is the worker's clock.
    func run(_ job: JobRecord, now: Date) async -> JobResult
}

/// Runs due jobs from the store: claims them with a lease (a job whose worker died is claimed again once
/// its lease runs out), runs each with its handler, retries with backoff and gives up after `maxAttempts`.
final class JobWorker: Service {
    private let store: any Store
    private let handlers: [String: any JobHandler]
    private let maxAttempts: Int
    private let backoff: Backoff
    private let lease: Duration
    private let idlePoll: Duration
    private let clock: WallClock
    private let signal = WakeSignal()
    private let stopping = ManagedFlag()
    private let logger: Logger

    init(
        store: any Store, handlers: [any JobHandler], maxAttempts: Int = 8, backoff: Backoff = Backoff(initial: .seconds(2), maximum: .seconds(600)),
        lease: Duration = .seconds(120), idlePoll: Duration = .seconds(5), clock: WallClock = .system, logger: Logger
    ) {
        self.store = store
        var byKind: [String: any JobHandler] = [:]
        for handler in handlers {
            for kind in handler.kinds { byKind[kind] = handler }
        }
        self.handlers = byKind
        self.maxAttempts = maxAttempts
        self.backoff = backoff
        self.lease = lease
        self.idlePoll = idlePoll
        self.clock = clock
        self.logger = logger
    }

    /// Tells the worker new jobs are stored.
    func wake() async {
        await signal.ring()
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            while !self.stopping.isSet {
                await self.runDue()
                await self.signal.wait(timeout: await self.untilNextDue())
            }
        } onGracefulShutdown: {
            // Jobs in hand finish; the rest run on the next start.
            self.stopping.set()
            Task { await self.signal.ring() }
        }
    }

    /// How long to wait: until the next stored job is due (a retry), at most `idlePoll`.
    private func untilNextDue() async -> Duration {
        guard let due = try? await store.nextJobDue() else { return idlePoll }
        let wait = Duration.milliseconds(max(0, Int64(due.timeIntervalSince(clock.now()) * 1000)))
        return min(max(wait, .milliseconds(10)), idlePoll)
    }

    /// Runs every job that is due now.
    func runDue() async {
        while !stopping.isSet {
            let jobs: [JobRecord]
            do {
                jobs = try await store.claimJobs(now: clock.now(), lease: lease, limit: 16)
            } catch {
                logger.warning("could not read the jobs", metadata: ["error": "\(error)"])
                return
            }
            guard !jobs.isEmpty else { return }
            await withTaskGroup(of: Void.self) { group in
                for job in jobs { group.addTask { await self.perform(job) } }
            }
        }
    }

    private func perform(_ job: JobRecord) async {
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        let result = await handlers[job.kind]?.run(job, now: clock.now()) ?? .failed("no handler for jobs of kind \(job.kind)")
        let now = clock.now()
        do {
            switch result {
            case .done:
                try await store.finishJob(job.id, at: now)
            case .later(let date):
                try await store.postponeJob(job.id, until: date, at: now)
            case .retry(let reason) where job.attempts < maxAttempts:
                let delay = backoff.delay(afterAttempt: job.attempts, retryAfter: nil)
                try await store.retryJob(job.id, runAt: now.addingTimeInterval(delay / .seconds(1)), error: reason, at: now)
                logger.info("job failed; retrying", metadata: ["reason": "\(reason)", "attempt": "\(job.attempts)"])
            case .retry(let reason), .failed(let reason):
                try await store.failJob(job.id, error: reason, at: now)
                logger.warning("job given up", metadata: ["reason": "\(reason)", "attempts": "\(job.attempts)"])
            }
        } catch {
            // The lease runs out and the job is claimed again.
            logger.warning("could not record a job's result", metadata: ["error": "\(error)"])
        }
    }
}
