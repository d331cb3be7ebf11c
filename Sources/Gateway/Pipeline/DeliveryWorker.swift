import Channels
import ChatModel
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Sends the outbox: the oldest unsent message of each conversation at a time (keeping each
/// conversation's order), retrying with backoff and dead-lettering what cannot be delivered.
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
    private let logger: Logger
    private let signal = WakeSignal()
    private let stopping = ManagedFlag()

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
            while !self.stopping.isSet {
                await self.deliverDue()
                guard !self.stopping.isSet else { break }
                await signal.wait(timeout: await self.pause())
            }
        } onGracefulShutdown: {
            // The batch in flight finishes; unsent rows stay in the outbox for the next start.
            self.stopping.set()
            Task { await self.signal.ring() }
        }
    }

    /// Sends rounds of due rows, all of a round from different conversations, concurrently, until none
    /// is due; stops early when a result could not be recorded, so a failing store is not hammered.
    private func deliverDue() async {
        do {
            while !stopping.isSet {
                let due = try await store.dueOutbox(now: Date(), limit: concurrency)
                if due.isEmpty { return }
                let recorded = await withTaskGroup(of: Bool.self) { group in
                    for item in due {
                        group.addTask(priority: .background) { await self.deliver(item) }
                    }
                    return await group.allSatisfy { $0 }
                }
                if !recorded { return }
            }
        } catch {
            logger.error("cannot read the outbox", metadata: ["error": "\(error)"])
        }
    }

    /// How long to sleep when nothing is due: until the next retry, at most `idlePoll`.
    private func pause() async -> Duration {
        guard let next = try? await store.nextOutboxDue() else { return idlePoll }
        let wait = next.timeIntervalSinceNow
        return wait <= 0 ? .milliseconds(1) : min(.milliseconds(Int64(wait * 1000) + 1), idlePoll)
    }

    /// Sends one row and records the outcome; false when the outcome could not be recorded. `windowChecked`
    /// skips the service-window check (for a re-engagement template that replaced the row).
    private func deliver(_ item: OutboxItem, windowChecked: Bool = false) async -> Bool {
        var logger = self.logger
        logger[metadataKey: "outbox"] = "\(item.id)"
        logger[metadataKey: "conversation"] = "\(item.conversationID)"
        let attempts = item.attempts + 1
        do {
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
            switch outcome {
            case .sent(let platformMessageID):
                try await store.markSent(item, platformMessageID: platformMessageID, at: Date())
                metrics.sendAttempt(item.channel, result: "sent")
                await sender.recordedSent(payload: item.payload, recipient: item.recipient, idempotencyKey: item.idempotencyKey)
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
                if sender.isReachable(item.recipient) {
                    let key = ConversationKey(channel: item.channel, accountID: item.accountID, userID: item.recipient)
                    _ = try await store.releaseHeld(key, at: Date())
                }
            }
            return true
        } catch {
            // The row stays pending: the next round sends it again (at most this one message twice).
            logger.error("cannot record a send result", metadata: ["error": "\(error)"])
            return false
        }
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
