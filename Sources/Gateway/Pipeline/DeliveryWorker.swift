import Channels
import ChatModel
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Sends the outbox: the oldest unsent message of each conversation at a time (keeping each
/// conversation's order), retrying with backoff and dead-lettering what cannot be delivered. Rows are
/// claimed with a lease before they are sent, so gateways sharing one PostgreSQL send each row once; the
/// rows of a gateway that died are taken over when their lease runs out.
///
/// Up to `concurrency` sends run at once, from different conversations; a place that frees up is
/// filled soon (at once while half the places are free), so one slow platform call holds up only its
/// own conversation. When the store cannot record what a platform answered, the answer is kept in
/// memory and recorded later, after the same backoff as a failed send: the platform is not called
/// again for it.
public final class DeliveryWorker: Service {
    private let store: any Store
    private let senders: [Channel: any ChannelSender]
    /// Each enabled channel's delivery rules; a channel without one is disabled.
    private let policies: [Channel: DeliveryPolicy]
    private let metrics: GatewayMetrics
    /// The wait after the store failed, growing with consecutive failures.
    private let backoff: Backoff
    private let concurrency: Int
    private let idlePoll: Duration
    private let clock: WallClock
    /// The shortest time between two reads of the outbox while the pool is more than half busy.
    private let refillSpacing = Duration.milliseconds(10)
    private let logger: Logger
    private let signal = WakeSignal()
    private let stopping = ManagedFlag()
    private let unrecorded = UnrecordedOutcomes()
    /// This worker's name on the outbox rows it claims; gateways on one PostgreSQL each send their own.
    private let claimant = UUID().uuidString
    /// How long a claimed row stays this worker's: longer than a send takes, so only a gateway that died
    /// loses its rows to another.
    private let lease: Duration
    /// Open consoles, told when a reply's delivery changes.
    private let feed: ConsoleFeed?
    /// How long after a send in doubt the platform's confirmation is awaited before sending again.
    private let confirmationWait: Duration

    init(
        store: any Store,
        senders: [Channel: any ChannelSender],
        policies: [Channel: DeliveryPolicy],
        metrics: GatewayMetrics,
        configuration: GatewayConfig.Delivery,
        idlePoll: Duration = .seconds(5),
        feed: ConsoleFeed? = nil,
        clock: WallClock = .system,
        logger: Logger
    ) {
        self.clock = clock
        self.feed = feed
        self.store = store
        self.senders = senders
        self.policies = policies
        self.metrics = metrics
        self.backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff)
        self.concurrency = configuration.concurrency
        self.lease = max(.seconds(30), configuration.requestTimeout * 3)
        self.confirmationWait = configuration.confirmationWait
        self.idlePoll = idlePoll
        self.logger = logger
    }

    /// Tells the worker new rows are in the outbox.
    func wake() async {
        await signal.ring()
    }

    /// Makes a conversation's held rows due, claimed by this worker (its gateway has the customer's
    /// socket), and wakes it; returns how many there were.
    func releaseHeld(_ key: ConversationKey, expiringBefore: Date?) async throws -> Int {
        let released = try await store.releaseHeld(key, expiringBefore: expiringBefore, claimant: claimant, lease: lease, at: clock.now())
        if released > 0 { await wake() }
        return released
    }

    /// Where a gateway says it held a reply because the customer is not connected to it: channel, account,
    /// customer and the message the reply answers, a line each.
    static let heldTopic = "chatbuddy_held"
    /// Where a gateway says it sent a live channel's message, for the customer's other sockets and waiting
    /// requests on other gateways: channel, account, customer, the message's id and the sending worker.
    static let sentTopic = "chatbuddy_sent"

    /// Releases, to this worker, the replies another gateway held for a customer it can reach.
    private func releaseHeld(announced parts: [String]) async throws {
        guard parts.count == 4, let live = senders[Channel(rawValue: parts[0])] as? any LiveChannelSender,
            live.isReachable(parts[2], replyingTo: parts[3].isEmpty ? nil : parts[3])
        else { return }
        _ = try await releaseHeld(ConversationKey(channel: Channel(rawValue: parts[0]), accountID: parts[1], userID: parts[2]), expiringBefore: nil)
    }

    /// Shows the customer's sockets and waiting requests here what another gateway sent them.
    private func showSent(announced parts: [String]) async throws {
        guard parts.count == 5, parts[4] != claimant, let id = Int64(parts[3]),
            let live = senders[Channel(rawValue: parts[0])] as? any LiveChannelSender, live.isListening(parts[2]),
            let sent = try await store.sentMessage(MessageID(rawValue: id)), let key = sent.platformMessageID
        else { return }
        await live.recordedSent(payload: sent.body, recipient: parts[2], idempotencyKey: key)
    }

    /// Hands every announcement on `topic` (its lines) to `handle`, listening again after a failure.
    private func follow(_ topic: String, _ handle: ([String]) async throws -> Void) async {
        while !stopping.isSet, !Task.isCancelled {
            do {
                for try await announcement in store.announcements(topic) {
                    try await handle(announcement.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
                }
            } catch {
                logger.warning("cannot follow other gateways' announcements; listening again", metadata: ["topic": "\(topic)", "error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                if self.senders.values.contains(where: { $0 is any LiveChannelSender }) {
                    group.addTask { await self.follow(Self.heldTopic, self.releaseHeld(announced:)) }
                    group.addTask { await self.follow(Self.sentTopic, self.showSent(announced:)) }
                }
                await self.deliverContinuously()
                group.cancelAll()
            }
        } onGracefulShutdown: {
            // The sends in flight finish (each within its deadline); unsent rows stay for the next start.
            self.stopping.set()
            Task { await self.signal.ring() }
        }
    }

    /// What ends a wait of the delivery loop.
    private enum Event: Sendable {
        /// A send finished; `recorded` is false when the store could not record its outcome.
        case finished(conversationID: ConversationID, recorded: Bool)
        /// The doorbell rang or the wait timed out.
        case woke
    }

    /// Keeps up to `concurrency` conversations' sends in flight until shutdown.
    private func deliverContinuously() async {
        await withTaskGroup(of: Event.self) { group in
            var inFlight: Set<ConversationID> = []
            // Whether the doorbell's wait is running, and when it times out.
            var waiting = false
            var wakeBy = ContinuousClock.now
            // Consecutive store failures, and when the next attempt at the store may start.
            var storeFailures = 0
            var resumeAt = ContinuousClock.now
            func storeFailed() {
                storeFailures += 1
                resumeAt = ContinuousClock.now + backoff.delay(afterAttempt: storeFailures, retryAfter: nil)
            }
            // When the outbox was last read: while more than half the places are taken, freed places
            // are filled together, at most once per `refillSpacing`, since each read visits every
            // conversation with pending rows.
            var lastRefill = ContinuousClock.now - refillSpacing
            // How long the last read took. The next waits at least twice that, so that a long queue (on PostgreSQL
            // a read of 300 conversations' heads took 5 ms) does not have the database reading heads most of its time.
            var lastReadTook = Duration.zero
            while !stopping.isSet {
                var wait = idlePoll
                let spacing = max(inFlight.count * 2 > concurrency ? refillSpacing : .zero, lastReadTook * 2)
                let refillBy = lastRefill + spacing
                if inFlight.count < concurrency, ContinuousClock.now < refillBy {
                    wait = refillBy - ContinuousClock.now
                } else if inFlight.count < concurrency, ContinuousClock.now >= resumeAt {
                    lastRefill = ContinuousClock.now
                    do {
                        let due = try await store.claimOutbox(now: clock.now(), limit: concurrency + inFlight.count, claimant: claimant, lease: lease)
                        lastReadTook = ContinuousClock.now - lastRefill
                        var skipped = false
                        for item in due {
                            guard inFlight.count < concurrency, !inFlight.contains(item.conversationID) else {
                                skipped = true
                                continue
                            }
                            inFlight.insert(item.conversationID)
                            group.addTask(priority: .background) {
                                .finished(conversationID: item.conversationID, recorded: await self.deliver(item))
                            }
                        }
                        // Rows left for conversations in flight wait for those sends, which end the wait.
                        if !skipped { wait = await pause() }
                    } catch {
                        logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
                        storeFailed()
                    }
                }
                if ContinuousClock.now < resumeAt { wait = resumeAt - ContinuousClock.now }
                if waiting, ContinuousClock.now + wait < wakeBy {
                    // A retry now falls due before the running wait ends: end it early.
                    await signal.ring()
                } else if !waiting, inFlight.count < concurrency {
                    waiting = true
                    wakeBy = ContinuousClock.now + wait
                    group.addTask { [signal] in
                        await signal.wait(timeout: wait)
                        return .woke
                    }
                }
                guard let event = await group.next() else { break }
                switch event {
                case .woke:
                    waiting = false
                case .finished(let conversationID, let recorded):
                    inFlight.remove(conversationID)
                    if recorded { storeFailures = 0 } else { storeFailed() }
                }
            }
            // Ends the doorbell's wait, so only the sends in flight are waited for.
            await signal.ring()
        }
        // Rows claimed but not sent are another gateway's to send at once, or the next start's.
        do {
            _ = try await store.releaseClaims(of: claimant)
        } catch {
            logger.warning("cannot give up the outbox rows claimed; they wait out their lease", metadata: ["error": "\(error)"])
        }
    }

    /// How long to sleep when nothing is due: until the next retry, at most `idlePoll`.
    private func pause() async -> Duration {
        guard let next = try? await store.nextOutboxDue() else { return idlePoll }
        let wait = next.timeIntervalSince(clock.now())
        return wait <= 0 ? .milliseconds(1) : min(.milliseconds(Int64(wait * 1000) + 1), idlePoll)
    }

    /// Sends one row (or takes the platform's earlier answer that could not be recorded) as its channel's
    /// policy decides, and records the outcome; false when the outcome could not be recorded.
    private func deliver(_ item: OutboxItem) async -> Bool {
        var logger = self.logger
        logger[metadataKey: "outbox"] = "\(item.id)"
        logger[metadataKey: "conversation"] = "\(item.conversationID)"
        let policy = policies[item.channel] ?? .disabled(item.channel.rawValue)
        var answered: DeliveryOutcome?
        do {
            let facts = try await facts(item, policy: policy, now: clock.now())
            if let earlier = unrecorded.take(item.id) {
                answered = earlier
                return try await perform(policy.afterSend(earlier, facts), on: item, facts, policy: policy, logger: logger)
            }
            if let since = item.inDoubtSince, try await !resolveDoubt(item, since: since, logger: logger) { return true }
            return try await perform(policy.beforeSend(facts, now: clock.now()), on: item, facts, policy: policy, logger: logger) { outcome in
                answered = outcome
            }
        } catch {
            // The row stays pending; what the platform answered is recorded on a later attempt instead of a resend.
            if let answered { unrecorded.keep(answered, for: item.id) }
            logger.error("cannot record a send result", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// A row whose earlier send began under a gateway that died before recording it: the platform may have
    /// it. Where the platform reports our sends back (docs/channels.md §7), the row waits for that report
    /// until `confirmationWait` after the send, and the report records it as sent; false while it waits.
    /// When no report came in time, or the platform sends none, the row is sent again.
    private func resolveDoubt(_ item: OutboxItem, since: Date, logger: Logger) async throws -> Bool {
        guard senders[item.channel]?.confirmsSend(of: item.payload) == true else { return true }
        let resendAt = since.addingTimeInterval(confirmationWait / .seconds(1))
        let now = clock.now()
        if now < resendAt {
            try await store.awaitConfirmation(item, until: resendAt, at: now)
            metrics.sendsInDoubt(item.channel, result: "waiting")
            logger.notice("a send in doubt waits for the platform's confirmation", metadata: ["since": "\(since)"])
            return false
        }
        try await store.markSending(item, at: now)
        metrics.sendsInDoubt(item.channel, result: "resent")
        logger.warning("no confirmation of a send in doubt came; sending again", metadata: ["since": "\(since)"])
        return true
    }

    /// The facts the policy decides on; the store is asked about earlier re-engagement only when it matters.
    private func facts(_ item: OutboxItem, policy: DeliveryPolicy, now: Date, afterWindow: Bool = false) async throws -> DeliveryFacts {
        var facts = DeliveryFacts(
            recipient: item.recipient, attempts: item.attempts, lastInboundAt: item.lastInboundAt,
            isTemplate: policy.isTemplate(item.payload) || policy.isUpdateTagged(item.payload),
            optedOut: item.recipientOptedOut, consentTopic: item.consentTopic, consentGranted: item.consentGranted)
        facts.isHumanAgentTagged = policy.isHumanAgentTagged(item.payload)
        if afterWindow || policy.needsReengagementFact(facts, now: now) {
            facts.reengagementSent = try await store.templateSent(conversationID: item.conversationID, since: item.lastInboundAt ?? .distantPast)
        }
        return facts
    }

    /// Carries out `action` for `item`: sends it (reporting the platform's answer to `answered` before it is
    /// recorded) or records the decision; true when the result is recorded.
    private func perform(
        _ action: DeliveryAction, on item: OutboxItem, _ facts: DeliveryFacts, policy: DeliveryPolicy, logger: Logger,
        answered: (DeliveryOutcome) -> Void = { _ in }
    ) async throws -> Bool {
        let now = clock.now()
        switch action {
        case .send:
            guard let sender = senders[item.channel] else {
                let reason = "channel \(item.channel.rawValue) has no sender"
                return try await perform(.deadLetter(reason: reason), on: item, facts, policy: policy, logger: logger)
            }
            let started = ContinuousClock.now
            let outcome = await sender.send(
                payload: item.payload, account: item.accountID, recipient: item.recipient, idempotencyKey: item.idempotencyKey)
            metrics.sendLatency(item.channel, ContinuousClock.now - started)
            metrics.sendAttempt(item.channel, result: outcome.metricName)
            answered(outcome)
            var facts = facts
            if case .needsTemplate = outcome, !facts.isTemplate {
                facts = try await self.facts(item, policy: policy, now: now, afterWindow: true)
            }
            return try await perform(policy.afterSend(outcome, facts), on: item, facts, policy: policy, logger: logger)
        case .sendTemplate(let template):
            try await store.replacePayload(item, with: template, kind: "template", text: "[re-engagement template]", at: now)
            logger.notice("service window closed; the re-engagement template goes instead")
            var replaced = item
            replaced.payload = template
            var facts = facts
            facts.isTemplate = true
            return try await perform(.send, on: replaced, facts, policy: policy, logger: logger, answered: answered)
        case .awaitTemplate(let reason):
            try await store.needsTemplate(item, reason: reason, at: now)
            metrics.suppressed(item.channel)
            logger.warning("reply held: the service window has closed and only a template may be sent", metadata: ["reason": "\(reason)"])
        case .hold(let reason):
            try await store.hold(item, reason: reason, at: now)
            let key = ConversationKey(channel: item.channel, accountID: item.accountID, userID: item.recipient)
            let live = senders[item.channel] as? any LiveChannelSender
            let target = live?.replyTarget(of: item.payload)
            if let live, live.isReachable(item.recipient, replyingTo: target) {
                // The customer came back between the send and the hold, after their release ran.
                _ = try await releaseHeld(key, expiringBefore: nil)
            } else {
                // The customer may be connected to another gateway on this database: it sends them.
                try await store.announce(Self.heldTopic, [key.channel.rawValue, key.accountID, key.userID, target ?? ""].joined(separator: "\n"))
            }
        case .suppress(let reason):
            try await store.suppress(item, reason: reason, at: now)
            metrics.suppressed(item.channel)
            logger.notice("message not sent", metadata: ["reason": "\(reason)"])
        case .optOut(let reason):
            let key = ConversationKey(channel: item.channel, accountID: item.accountID, userID: item.recipient)
            try await store.setOptedOut(key, true, at: now)
            return try await perform(.suppress(reason: reason), on: item, facts, policy: policy, logger: logger)
        case .deadLetter(let reason):
            try await store.deadLetter(item, attempts: item.attempts + 1, error: reason, at: now)
            metrics.deadLettered(item.channel)
            logger.warning("message dead-lettered", metadata: ["reason": "\(reason)", "attempts": "\(item.attempts + 1)"])
        case .retry(let reason, let after):
            try await store.scheduleRetry(item, attempts: item.attempts + 1, at: now.addingTimeInterval(after / .seconds(1)), error: reason)
            metrics.retryScheduled(item.channel)
            logger.info("send failed; retrying", metadata: ["reason": "\(reason)", "attempt": "\(item.attempts + 1)"])
        case .recordSent(let platformMessageID):
            try await store.markSent(item, platformMessageID: platformMessageID, at: now)
            if let live = senders[item.channel] as? any LiveChannelSender {
                await live.recordedSent(payload: item.payload, recipient: item.recipient, idempotencyKey: item.idempotencyKey)
                // The customer's sockets and waiting requests on other gateways are shown it too.
                let announcement = [item.channel.rawValue, item.accountID, item.recipient, String(item.messageID.rawValue), claimant]
                do {
                    try await store.announce(Self.sentTopic, announcement.joined(separator: "\n"))
                } catch {
                    logger.warning("cannot tell other gateways of a sent message; their sockets show it on reconnect", metadata: ["error": "\(error)"])
                }
            }
        }
        feed?.publish(ConsoleEvent(type: .status, conversationID: item.conversationID))
        return true
    }
}

extension DeliveryOutcome {
    /// The `result` label of the send-attempt metric.
    fileprivate var metricName: String {
        switch self {
        case .sent: "sent"
        case .retry: "retry"
        case .rejected: "rejected"
        case .needsTemplate: "needs_template"
        case .optedOut: "opted_out"
        case .held: "held"
        }
    }
}
