import Channels
import ChatModel
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Sends the outbox: the oldest unsent message of each conversation at a time (keeping each
/// conversation's order), retrying with backoff and dead-lettering what cannot be delivered.
///
/// Up to `concurrency` sends run at once, from different conversations; a place that frees up is
/// filled soon (at once while half the places are free), so one slow platform call holds up only its
/// own conversation. When the store cannot record what a platform answered, the answer is kept in
/// memory and recorded later, after the same backoff as a failed send: the platform is not called
/// again for it.
public final class DeliveryWorker: Service {
    private let store: any Store
    private let senders: [Channel: any ChannelSender]
    /// Hours after the customer's last message in which a channel may be answered freely.
    private let serviceWindowHours: [Channel: Int]
    /// Channels where a closed window means an approved template instead (WhatsApp), not silence.
    private let templateChannels: Set<Channel>
    private let metrics: GatewayMetrics
    private let maxAttempts: Int
    private let backoff: Backoff
    private let concurrency: Int
    private let idlePoll: Duration
    /// The shortest time between two reads of the outbox while the pool is more than half busy.
    private let refillSpacing = Duration.milliseconds(10)
    private let logger: Logger
    private let signal = WakeSignal()
    private let stopping = ManagedFlag()
    private let unrecorded = UnrecordedOutcomes()

    init(
        store: any Store,
        senders: [Channel: any ChannelSender],
        serviceWindowHours: [Channel: Int],
        templateChannels: Set<Channel> = [],
        metrics: GatewayMetrics,
        configuration: GatewayConfig.Delivery,
        idlePoll: Duration = .seconds(5),
        logger: Logger
    ) {
        self.store = store
        self.senders = senders
        self.serviceWindowHours = serviceWindowHours
        self.templateChannels = templateChannels
        self.metrics = metrics
        self.maxAttempts = configuration.maxAttempts
        self.backoff = Backoff(initial: configuration.initialBackoff, maximum: configuration.maxBackoff)
        self.concurrency = configuration.concurrency
        self.idlePoll = idlePoll
        self.logger = logger
    }

    /// Tells the worker new rows are in the outbox.
    func wake() async {
        await signal.ring()
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await self.deliverContinuously()
        } onGracefulShutdown: {
            // The sends in flight finish (each within its deadline); unsent rows stay for the next start.
            self.stopping.set()
            Task { await self.signal.ring() }
        }
    }

    /// What ends a wait of the delivery loop.
    private enum Event: Sendable {
        /// A send finished; `recorded` is false when the store could not record its outcome.
        case finished(conversationID: Int64, recorded: Bool)
        /// The doorbell rang or the wait timed out.
        case woke
    }

    /// Keeps up to `concurrency` conversations' sends in flight until shutdown.
    private func deliverContinuously() async {
        await withTaskGroup(of: Event.self) { group in
            var inFlight: Set<Int64> = []
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
            while !stopping.isSet {
                var wait = idlePoll
                let refillBy = inFlight.count * 2 > concurrency ? lastRefill + refillSpacing : lastRefill
                if inFlight.count < concurrency, ContinuousClock.now < refillBy {
                    wait = refillBy - ContinuousClock.now
                } else if inFlight.count < concurrency, ContinuousClock.now >= resumeAt {
                    lastRefill = ContinuousClock.now
                    do {
                        let due = try await store.dueOutbox(now: Date(), limit: concurrency + inFlight.count)
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
    }

    /// How long to sleep when nothing is due: until the next retry, at most `idlePoll`.
    private func pause() async -> Duration {
        guard let next = try? await store.nextOutboxDue() else { return idlePoll }
        let wait = next.timeIntervalSinceNow
        return wait <= 0 ? .milliseconds(1) : min(.milliseconds(Int64(wait * 1000) + 1), idlePoll)
    }

    /// Sends one row (or takes the platform's earlier answer that could not be recorded) and records the
    /// outcome; false when the outcome could not be recorded. `windowChecked` skips the service-window
    /// check (for a re-engagement template that replaced the row).
    private func deliver(_ item: OutboxItem, windowChecked: Bool = false) async -> Bool {
        var logger = self.logger
        logger[metadataKey: "outbox"] = "\(item.id)"
        logger[metadataKey: "conversation"] = "\(item.conversationID)"
        let attempts = item.attempts + 1
        var answered: DeliveryOutcome?
        do {
            if let earlier = unrecorded.take(item.id) {
                answered = earlier
                return try await record(earlier, of: item, attempts: attempts, sender: senders[item.channel], logger: logger)
            }
            guard let sender = senders[item.channel] else {
                try await deadLetter(item, attempts: attempts, reason: "channel \(item.channel.rawValue) is disabled", logger: logger)
                return true
            }
            if !windowChecked, let hours = serviceWindowHours[item.channel], let last = item.lastInboundAt,
                Date().timeIntervalSince(last) > Double(hours) * 3600
            {
                let reason = "outside the \(hours)-hour service window"
                if templateChannels.contains(item.channel) {
                    return try await outsideWindow(item, sender: sender, reason: reason, logger: logger)
                }
                try await suppress(item, reason: reason, logger: logger)
                return true
            }
            if let reason = item.forbiddenReason {
                try await suppress(item, reason: reason, logger: logger)
                return true
            }
            let started = ContinuousClock.now
            let outcome = await sender.send(
                payload: item.payload, account: item.accountID, recipient: item.recipient, idempotencyKey: item.idempotencyKey)
            metrics.sendLatency(item.channel, ContinuousClock.now - started)
            answered = outcome
            return try await record(outcome, of: item, attempts: attempts, sender: sender, logger: logger)
        } catch {
            // The row stays pending; what the platform answered is recorded on a later attempt instead of a resend.
            if let answered { unrecorded.keep(answered, for: item.id) }
            logger.error("cannot record a send result", metadata: ["error": "\(error)"])
            return false
        }
    }

    /// Records what the platform answered for `item`.
    private func record(
        _ outcome: DeliveryOutcome, of item: OutboxItem, attempts: Int, sender: (any ChannelSender)?, logger: Logger
    ) async throws -> Bool {
        switch outcome {
        case .sent(let platformMessageID):
            try await store.markSent(item, platformMessageID: platformMessageID, at: Date())
            metrics.sendAttempt(item.channel, result: "sent")
            await sender?.recordedSent(payload: item.payload, recipient: item.recipient, idempotencyKey: item.idempotencyKey)
        case .retry(let reason, let retryAfter):
            metrics.sendAttempt(item.channel, result: "retry")
            if attempts >= maxAttempts {
                try await deadLetter(item, attempts: attempts, reason: reason, logger: logger)
            } else {
                let delay = backoff.delay(afterAttempt: attempts, retryAfter: retryAfter)
                try await store.scheduleRetry(item, attempts: attempts, at: Date().addingTimeInterval(delay / .seconds(1)), error: reason)
                metrics.retryScheduled(item.channel)
                logger.info("send failed; retrying", metadata: ["reason": "\(reason)", "attempt": "\(attempts)"])
            }
        case .rejected(let reason):
            metrics.sendAttempt(item.channel, result: "rejected")
            try await deadLetter(item, attempts: attempts, reason: reason, logger: logger)
        case .needsTemplate(let reason):
            metrics.sendAttempt(item.channel, result: "needs_template")
            guard let sender else {
                try await store.needsTemplate(item, reason: reason, at: Date())
                return true
            }
            return try await outsideWindow(item, sender: sender, reason: reason, logger: logger)
        case .optedOut(let reason):
            metrics.sendAttempt(item.channel, result: "opted_out")
            let key = ConversationKey(channel: item.channel, accountID: item.accountID, userID: item.recipient)
            try await store.setOptedOut(key, true, at: Date())
            try await suppress(item, reason: reason, logger: logger)
        case .held(let reason):
            metrics.sendAttempt(item.channel, result: "held")
            try await store.hold(item, reason: reason, at: Date())
            // The customer may have come back between the send and the hold, after their release ran.
            if sender?.isReachable(item.recipient) == true {
                let key = ConversationKey(channel: item.channel, accountID: item.accountID, userID: item.recipient)
                _ = try await store.releaseHeld(key, expiringBefore: nil, at: Date())
            }
        }
        return true
    }
}

extension DeliveryWorker {
    /// A free-form row the platform will not take because the customer's window has closed: the configured
    /// re-engagement template goes in its place (once per window), or the row waits as `needs_template`.
    private func outsideWindow(_ item: OutboxItem, sender: any ChannelSender, reason: String, logger: Logger) async throws -> Bool {
        let isTemplate = item.payload.contains(#""type":"template""#)
        if !isTemplate, let template = sender.reengagementPayload(recipient: item.recipient),
            try await !store.templateSent(conversationID: item.conversationID, since: item.lastInboundAt ?? .distantPast)
        {
            try await store.replacePayload(item, with: template, kind: "template", text: "[re-engagement template]", at: Date())
            logger.notice("service window closed; the re-engagement template goes instead", metadata: ["reason": "\(reason)"])
            var replaced = item
            replaced.payload = template
            return await deliver(replaced, windowChecked: true)
        }
        try await store.needsTemplate(item, reason: reason, at: Date())
        metrics.suppressed(item.channel)
        logger.warning("reply held: the service window has closed and only a template may be sent", metadata: ["reason": "\(reason)"])
        return true
    }

    /// Marks a row as not to be sent, for `reason`: recorded on the message, counted and logged.
    private func suppress(_ item: OutboxItem, reason: String, logger: Logger) async throws {
        try await store.suppress(item, reason: reason, at: Date())
        metrics.suppressed(item.channel)
        logger.notice("message not sent", metadata: ["reason": "\(reason)"])
    }

    /// Gives up on a row for good: recorded with its reason, counted and logged.
    private func deadLetter(_ item: OutboxItem, attempts: Int, reason: String, logger: Logger) async throws {
        try await store.deadLetter(item, attempts: attempts, error: reason, at: Date())
        metrics.deadLettered(item.channel)
        logger.warning("message dead-lettered", metadata: ["reason": "\(reason)", "attempts": "\(attempts)"])
    }
}

extension OutboxItem {
    /// Why the participant may not be sent this row (opted out of the channel, or marketing without
    /// consent); nil when it may go.
    fileprivate var forbiddenReason: String? {
        if recipientOptedOut { return "the recipient has opted out" }
        if let consentTopic, !consentGranted { return "no \(consentTopic.rawValue) consent" }
        return nil
    }
}
