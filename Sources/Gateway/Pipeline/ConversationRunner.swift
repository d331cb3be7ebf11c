import Agents
import Channels
import DequeModule
import ChatModel
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Hands stored inbound events to the agent, one conversation at a time and in arrival order, while
/// different conversations run concurrently; stores the rendered replies in the outbox.
public final class ConversationRunner: Service {
    private enum Signal {
        case wake(ConversationID)
        case finished(ConversationID)
    }

    private let store: any Store
    private let agent: any Agent
    private let renderers: [Channel: any ReplyRenderer]
    /// What each channel does with an event before the agents (keywords, numbered choices).
    private let inboundSteps: [Channel: any InboundStep]
    private let delivery: DeliveryWorker
    /// Who hears of a hand-off: open consoles, and the notification jobs.
    private let feed: ConsoleFeed?
    private let notifier: HandoffNotifier?
    private let jobs: JobWorker?
    private let metrics: GatewayMetrics
    /// Earlier messages read for a turn: `agent.history_limit`, no more than the agent reads, but one at least
    /// (whether there is any tells a returning customer's greeting, `answer`).
    private let historyRead: Int
    /// How long an operator may stay silent before a human-mode conversation goes back to the bot.
    private let humanIdle: Duration
    private let concurrency: Int
    /// Stored events wait for a start without the pause; nothing is scheduled meanwhile.
    private let paused: Bool
    private let sweepInterval: Duration
    /// Attempts at one inbound event before it is parked, and the pause between them.
    private let maxEventAttempts: Int
    private let eventRetryPause: Duration
    /// The greeting that opens a conversation after a closed one (idle widget conversations), in a language.
    private let welcomeBack: @Sendable (Language) -> String
    private let logger: Logger
    private let stopping = ManagedFlag()
    /// This runner's name on the conversations it handles; gateways on one PostgreSQL take turns on each.
    private let claimant = UUID().uuidString
    /// Whether other gateways drain this database's conversations too (PostgreSQL), so that each drain claims its
    /// conversation first. A SQLite file has one gateway, whose dispatcher never runs two drains of a conversation:
    /// there the claim and its release would be two write transactions per turn that protect nothing.
    private let sharedDatabase: Bool
    /// How long a conversation stays this runner's after it last took up an event.
    private let lease: Duration = .seconds(30)
    private let signals: AsyncStream<Signal>
    private let continuation: AsyncStream<Signal>.Continuation

    init(
        store: any Store,
        agent: any Agent,
        renderers: [Channel: any ReplyRenderer],
        inboundSteps: [Channel: any InboundStep] = [:],
        delivery: DeliveryWorker,
        feed: ConsoleFeed? = nil,
        notifier: HandoffNotifier? = nil,
        jobs: JobWorker? = nil,
        metrics: GatewayMetrics,
        historyLimit: Int,
        humanIdle: Duration = .seconds(1800),
        concurrency: Int,
        paused: Bool = false,
        sharedDatabase: Bool = true,
        sweepInterval: Duration = .seconds(30),
        maxEventAttempts: Int = 5,
        eventRetryPause: Duration = .milliseconds(500),
        welcomeBack: @escaping @Sendable (Language) -> String = { _ in "" },
        logger: Logger
    ) {
        self.welcomeBack = welcomeBack
        self.maxEventAttempts = maxEventAttempts
        self.eventRetryPause = eventRetryPause
        self.store = store
        self.agent = agent
        self.renderers = renderers
        self.inboundSteps = inboundSteps
        self.delivery = delivery
        self.feed = feed
        self.notifier = notifier
        self.jobs = jobs
        self.metrics = metrics
        historyRead = min(historyLimit, max(1, agent.historyWanted))
        self.humanIdle = humanIdle
        self.concurrency = concurrency
        self.paused = paused
        self.sharedDatabase = sharedDatabase
        self.sweepInterval = sweepInterval
        self.logger = logger
        (signals, continuation) = AsyncStream.makeStream(of: Signal.self)
    }

    /// Asks for these conversations' pending events to be handled.
    func schedule(_ conversations: some Sequence<ConversationID>) {
        guard !paused else { return }
        for id in conversations { continuation.yield(.wake(id)) }
    }

    public func run() async throws {
        if paused {
            logger.notice("the conversation pipeline is paused (agent.paused): messages are stored and acknowledged, not answered")
            try? await gracefulShutdown()
            return
        }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { sweeper in
                sweeper.addTask { await self.sweep() }
                await dispatch()
                sweeper.cancelAll()
            }
        } onGracefulShutdown: {
            // Stop taking new work; each running conversation finishes the event in hand, and every
            // other stored event resumes on the next start.
            self.stopping.set()
            self.continuation.finish()
        }
    }

    /// Starts a drain per woken conversation, never two for the same one, at most `concurrency` at once.
    private func dispatch() async {
        await withDiscardingTaskGroup { group in
            var active = Set<ConversationID>()
            var again = Set<ConversationID>()
            // Conversations waiting for a free place, in order, with a set for the membership test
            // (the sweep re-wakes every pending conversation; a linear search made that quadratic).
            var waiting = Deque<ConversationID>()
            var isWaiting = Set<ConversationID>()
            func start(_ id: ConversationID) {
                active.insert(id)
                group.addTask(priority: .background) {
                    await self.drain(id)
                    self.continuation.yield(.finished(id))
                }
            }
            for await signal in signals {
                switch signal {
                case .wake(let id):
                    if active.contains(id) {
                        again.insert(id)
                    } else if isWaiting.contains(id) {
                        continue
                    } else if active.count >= concurrency {
                        if isWaiting.insert(id).inserted { waiting.append(id) }
                    } else {
                        start(id)
                    }
                case .finished(let id):
                    active.remove(id)
                    if again.remove(id) != nil {
                        start(id)
                    } else if let next = waiting.popFirst() {
                        isWaiting.remove(next)
                        start(next)
                    }
                }
            }
        }
    }

    /// Finds stored but unhandled events, at start (resume after a crash) and then now and then
    /// (events whose handling failed on a store error).
    private func sweep() async {
        while !Task.isCancelled {
            do {
                schedule(try await store.conversationsWithPendingEvents())
            } catch {
                logger.error("cannot list pending conversations", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: sweepInterval)
        }
    }

    /// Handles the conversation's pending events in order. On a shared database it does so while this gateway
    /// holds the conversation (another gateway holding it drains them itself); once none is left it gives the
    /// conversation up and looks once more: an event stored while another gateway found it held is not left behind.
    private func drain(_ conversationID: ConversationID) async {
        var logger = self.logger
        logger[metadataKey: "conversation"] = "\(conversationID)"
        guard sharedDatabase else {
            // The only gateway: an event stored meanwhile woke this conversation again, which the dispatcher
            // starts once this drain ends.
            await drainEvents(conversationID, logger: logger)
            return
        }
        do {
            guard try await store.claimConversation(conversationID, claimant: claimant, lease: lease, at: Date()) else { return }
        } catch {
            logger.error("conversation paused on a store error; it resumes on the next sweep", metadata: ["error": "\(error)"])
            return
        }
        await drainEvents(conversationID, logger: logger)
        do {
            if try await store.releaseConversation(conversationID, claimant: claimant), !stopping.isSet { schedule([conversationID]) }
        } catch {
            logger.error("conversation paused on a store error; it resumes on the next sweep", metadata: ["error": "\(error)"])
        }
    }

    /// Events read from the store at once by a drain; reading again only after a full batch saves a read per turn.
    private static let batchSize = 8

    /// Handles the conversation's pending events in order (claimed first on a shared database). An event that fails is tried again
    /// after a growing pause and parked after `maxEventAttempts`, so one poisoned event cannot stall its
    /// conversation; when even the failure cannot be recorded (the store is down) the conversation
    /// pauses until the next sweep.
    private func drainEvents(_ conversationID: ConversationID, logger: Logger) async {
        // On a shared database the claim was just taken; each later event renews it, and a claim lost (this
        // gateway stalled past its lease) stops here.
        var renew = false
        while !stopping.isSet {
            var messageID: MessageID?
            let failure: any Error
            do {
                let batch = try await store.pendingEvents(conversationID: conversationID, limit: Self.batchSize)
                for pending in batch {
                    if stopping.isSet { return }
                    messageID = nil
                    if renew, sharedDatabase, try await !store.claimConversation(conversationID, claimant: claimant, lease: lease, at: Date()) { return }
                    renew = true
                    messageID = pending.messageID
                    try await handle(pending)
                }
                // A short batch was all there was. An event stored since woke the conversation again: on SQLite the
                // dispatcher starts another drain once this one ends; on a shared database `releaseConversation`
                // sees it and schedules one.
                if batch.count < Self.batchSize { return }
                continue
            } catch {
                // An event whose stored body no longer decodes is that event's failure too.
                if case StoreError.undecodableEvent(let id) = error { messageID = id }
                failure = error
            }
            guard let messageID else {
                logger.error("conversation paused on a store error; it resumes on the next sweep", metadata: ["error": "\(failure)"])
                return
            }
            let parked: Bool
            do {
                parked = try await store.recordEventFailure(messageID: messageID, error: "\(failure)", maxAttempts: maxEventAttempts, at: Date())
            } catch {
                logger.error("conversation paused on a store error; it resumes on the next sweep", metadata: ["error": "\(error)"])
                return
            }
            if parked {
                metrics.eventParked()
                logger.error("event parked after failing every attempt; the conversation goes on", metadata: [
                    "event": "\(messageID)", "error": "\(failure)",
                ])
                continue
            }
            logger.warning("event failed; trying again", metadata: ["event": "\(messageID)", "error": "\(failure)"])
            try? await Task.sleep(for: eventRetryPause)
        }
    }

    private func handle(_ pending: PendingInbound) async throws {
        var state = try await store.conversationState(for: pending, historyLimit: historyRead)
        let locale = pending.event.content.text.flatMap(LanguageDetector.detect) ?? state.locale ?? .hu
        state.locale = locale
        state.textLimit = renderers[pending.event.channel]?.textLimit
        var logger = self.logger
        logger[metadataKey: "conversation"] = "\(pending.conversationID)"
        logger[metadataKey: "event"] = "\(pending.messageID)"

        let now = Date()
        var effects = TurnEffects()
        if state.mode == .human, now.timeIntervalSince(state.operatorActiveAt ?? .distantPast) > humanIdle / .seconds(1) {
            // The operator has gone quiet: the bot answers again.
            state.mode = .bot
            effects.resumeBot = true
            logger.info("operator idle; the bot answers the conversation again")
        }
        let decision = inboundSteps[pending.event.channel]?.prepare(state.event, state: state.channelState, language: locale)
            ?? .agent(state.event)
        let answer = await self.answer(pending, decision, in: state, language: locale, logger: logger)
        effects.optedOut = answer.optedOut
        try await store.recordLinks(answer.links, at: now)
        if let rendering = answer.rendering {
            let channelState = state.channelState.remembering(rendering)
            if channelState != state.channelState { effects.channelState = channelState }
        }
        if let response = answer.response {
            effects.memory = response.memory
            for action in response.actions {
                switch action {
                case .handoff(let reason): effects.handoffReason = reason
                case .handoffLater(let reason):
                    effects.handoffReason = reason
                    effects.botStays = true
                case .consent(let topic, let granted): effects.consents.append(ConsentChange(topic: topic, granted: granted))
                }
            }
            for step in response.trace { metrics.agentNode(step) }
            if let reason = effects.handoffReason {
                logger.notice(effects.botStays
                    ? "a human was asked for outside operator hours; the request waits and the bot goes on"
                    : "a human was asked for; the conversation is in human mode")
                effects.jobs = notifier?.jobs(conversationID: pending.conversationID, reason: reason, at: now) ?? []
            }
        }
        try await store.complete(pending, locale: locale, outbound: answer.drafts, effects: effects, failure: answer.failure, at: now)
        metrics.eventProcessed(pending.event.channel, outcome: answer.outcome)
        if !answer.drafts.isEmpty { await delivery.wake() }
        if let reason = effects.handoffReason {
            if !effects.jobs.isEmpty { await jobs?.wake() }
            feed?.publish(ConsoleEvent(
                type: .handoff, conversationID: pending.conversationID, customer: pending.event.senderName ?? pending.event.conversation.userID,
                reason: reason))
        } else {
            feed?.publish(ConsoleEvent(type: .conversation, conversationID: pending.conversationID))
        }
    }

    /// What handling one event produced: rendered replies, or why there are none.
    private struct Answer {
        var drafts: [OutboundDraft] = []
        var failure: String?
        /// `answered`, `silent`, `human` or `failed`, for the metrics.
        var outcome: String
        /// The agent's answer, when one was asked.
        var response: AgentResponse?
        /// What the channel rendered: its numbered options and payload references go into the channel's state.
        var rendering: Rendering?
        var links: [String: String] = [:]
        /// A compliance keyword opted the customer out (true) or back in (false).
        var optedOut: Bool?
    }

    private func answer(
        _ pending: PendingInbound, _ decision: InboundDecision, in state: ConversationState, language: Language, logger: Logger
    ) async -> Answer {
        let channel = pending.event.channel
        // The channel's own answers (compliance keywords) apply whoever has the conversation.
        var channelReply: (text: String, optIn: Bool)?
        var state = state
        switch decision {
        case .optOut:
            logger.notice("the customer opted out of the channel; nothing more is sent to them")
            return Answer(outcome: "opted_out", optedOut: true)
        case .reply(let text, let optIn):
            channelReply = (text, optIn)
        case .agent(let event):
            guard state.mode == .bot else { return Answer(outcome: "human") }
            state.event = event
        }
        guard let renderer = renderers[channel] else {
            logger.warning("event left unanswered: its channel is disabled")
            return Answer(failure: "channel \(channel.rawValue) is disabled", outcome: "failed")
        }
        let started = ContinuousClock.now
        var response: AgentResponse
        if let channelReply {
            let replies = channelReply.text.isEmpty ? [] : [Reply(text: channelReply.text)]
            response = AgentResponse(replies: replies, agent: .general, confidence: 1, memory: state.memory)
        } else {
            do {
                response = try await respond(to: state)
            } catch {
                logger.error("agent failed; event left unanswered", metadata: ["error": "\(error)"])
                return Answer(failure: "agent: \(error)", outcome: "failed")
            }
        }
        let greeting = channelReply == nil && state.history.isEmpty ? welcomeBack(language) : ""
        if !greeting.isEmpty, !response.replies.isEmpty, (try? await store.resumesClosedConversation(pending.conversationID)) == true {
            // The customer comes back after their conversation was closed for idleness: the new one starts with a greeting.
            response.replies.insert(Reply(text: greeting), at: 0)
        }
        let context = ReplyContext(
            conversation: state.key, inReplyTo: pending.event.platformID, language: language,
            processingTime: ContinuousClock.now - started, quotesCustomer: pending.event.replyTo != nil,
            subject: pending.event.subject, recipientName: pending.event.senderName)
        let rendering = renderer.render(response, context: context)
        if !rendering.degradations.isEmpty {
            logger.notice("reply adapted to the channel", metadata: ["changes": "\(rendering.degradations.joined(separator: "; "))"])
        }
        let metadata = (try? Self.metadataEncoder.encode(
            AnswerMetadata(agentType: response.agent, confidence: response.confidence, nodes: response.trace)))
            .map { String(decoding: $0, as: UTF8.self) }
        let drafts = rendering.messages.enumerated().map { index, message in
            OutboundDraft(
                kind: message.kind, text: message.text, payload: message.payload,
                idempotencyKey: "\(channel.rawValue):\(pending.messageID):\(index)", metadata: metadata)
        }
        return Answer(
            drafts: drafts, outcome: drafts.isEmpty ? "silent" : "answered", response: response, rendering: rendering,
            links: rendering.links, optedOut: channelReply?.optIn == true ? false : nil)
    }

    private static let metadataEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }()

    /// The agent's replies, tried up to three times with a short pause.
    private func respond(to state: ConversationState) async throws -> AgentResponse {
        var attempt = 1
        while true {
            do {
                return try await agent.respond(to: state)
            } catch where attempt < 3 && !Task.isCancelled {
                attempt += 1
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
    }
}
