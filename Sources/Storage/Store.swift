import ChatModel
import Foundation

/// Durable state of the gateway: conversations, messages in both directions, and the outbox.
public protocol Store: CatalogStore {
    /// Applies pending schema migrations; returns the versions applied.
    @discardableResult
    func migrate() async throws -> [Int]
    /// Checks the database answers.
    func ping() async throws
    /// Keeps background work (connection pools) running until cancelled.
    func run() async
    func close() async throws

    // MARK: Inbox

    /// Stores a webhook's events in one transaction: new events once, receipts applied, retries ignored.
    func accept(_ events: [InboundEvent], receivedAt: Date) async throws -> AcceptOutcome
    /// Conversations with stored events not yet handled (used to resume after a restart).
    func conversationsWithPendingEvents() async throws -> [ConversationID]
    /// Whether several gateways may serve this database at once (PostgreSQL); a SQLite file has one `serve`.
    var isShared: Bool { get }
    /// Claims the handling of a conversation's events for `claimant` until `lease` has passed (again, to
    /// extend it); false while another claimant holds it.
    func claimConversation(_ id: ConversationID, claimant: String, lease: Duration, at: Date) async throws -> Bool
    /// Gives a conversation's handling up, if `claimant` holds it; returns whether events of it wait, as seen in
    /// the same statement (an event stored while another gateway found the conversation held is not left behind).
    @discardableResult
    func releaseConversation(_ id: ConversationID, claimant: String) async throws -> Bool
    /// A conversation's oldest unhandled events, up to `limit`, oldest first; fewer when a later one no longer
    /// decodes (it comes first in the next call, which throws `StoreError.undecodableEvent` for it).
    func pendingEvents(conversationID: ConversationID, limit: Int) async throws -> [PendingInbound]
    /// Counts a failed attempt at handling the inbound event `messageID`; after `maxAttempts` the event is
    /// parked (left unhandled, with `error`) so that its conversation goes on. True when it was parked.
    func recordEventFailure(messageID: MessageID, error: String, maxAttempts: Int, at: Date) async throws -> Bool
    /// The latest time until which any of `subjects` may not try an order verification, if one is locked now.
    func verificationLockedUntil(subjects: [String], now: Date) async throws -> Date?
    /// Counts a failed order verification for each subject; returns when a subject got locked by it.
    func recordVerificationFailure(subjects: [String], policy: VerificationPolicy, now: Date) async throws -> Date?
    /// Forgets a subject's failures after it verified an order (a lock in force stays).
    func clearVerificationFailures(subject: String) async throws
    /// Inbound events parked after failing every attempt, newest first.
    func parkedEvents(before cursor: Int64?, limit: Int) async throws -> Page<ParkedEventRecord>
    /// The conversation as an agent sees it when answering `pending`: earlier events, each followed by its replies.
    func conversationState(for pending: PendingInbound, historyLimit: Int) async throws -> ConversationState
    /// Marks an event handled and stores its rendered replies in the outbox and the turn's effects, in one
    /// transaction.
    func complete(
        _ pending: PendingInbound, locale: Language?, outbound: [OutboundDraft], effects: TurnEffects, failure: String?,
        at: Date
    ) async throws

    // MARK: Outbox

    /// Claims for `claimant`, until `lease` has passed, the oldest unsent row of each conversation whose next
    /// attempt is due and which no other claimant holds (a lease that ran out, its gateway gone, is taken
    /// over); rows `claimant` holds already are returned again.
    func claimOutbox(now: Date, limit: Int, claimant: String, lease: Duration) async throws -> [OutboxItem]
    /// Frees the outbox rows and conversations `claimant` holds (a gateway stopping), or with nil every
    /// claim (the only gateway of a database, starting: whoever claimed them is gone); returns how many.
    func releaseClaims(of claimant: String?) async throws -> Int
    /// When the first row of some conversation is next due (its retry, or the end of another claimant's lease), if any is pending.
    func nextOutboxDue() async throws -> Date?
    func markSent(_ item: OutboxItem, platformMessageID: String?, at: Date) async throws
    func scheduleRetry(_ item: OutboxItem, attempts: Int, at: Date, error: String) async throws
    /// Leaves a row in doubt unsent until `until`, for the platform's confirmation of the earlier send to arrive.
    func awaitConfirmation(_ item: OutboxItem, until: Date, at: Date) async throws
    /// Records that a send of a row in doubt starts again now (no confirmation came).
    func markSending(_ item: OutboxItem, at: Date) async throws
    func deadLetter(_ item: OutboxItem, attempts: Int, error: String, at: Date) async throws
    /// Withdraws a row that must not be sent (for example outside the platform's service window).
    func suppress(_ item: OutboxItem, reason: String, at: Date) async throws
    /// Rows waiting to be sent.
    func outboxDepth() async throws -> Int
    /// Keeps a row unsent as `needs_template`: the platform takes only an approved template now.
    func needsTemplate(_ item: OutboxItem, reason: String, at: Date) async throws
    /// Replaces a row's request body (and its message's kind and words), before it is sent.
    func replacePayload(_ item: OutboxItem, with payload: String, kind: String, text: String?, at: Date) async throws
    /// Whether a template was sent to the conversation after `since`.
    func templateSent(conversationID: ConversationID, since: Date) async throws -> Bool

    // MARK: Customers who come and go (the widget)

    /// Keeps a row unsent, without spending an attempt, until `releaseHeld` (the customer is not connected).
    func hold(_ item: OutboxItem, reason: String, at: Date) async throws
    /// Makes a conversation's held rows due now, claimed for `claimant` until `lease` has passed (the
    /// gateway whose socket the customer is on sends them); returns how many there were. Rows held since
    /// before `expiringBefore` are not sent: they are suppressed as expired.
    func releaseHeld(_ conversation: ConversationKey, expiringBefore: Date?, claimant: String, lease: Duration, at: Date) async throws -> Int
    /// The latest messages the customer sent or was sent, oldest first.
    func transcript(_ conversation: ConversationKey, limit: Int) async throws -> [TranscriptEntry]
    /// An outbound message that was sent, as the customer saw it; nil when it is not (or not yet) sent.
    func sentMessage(_ id: MessageID) async throws -> TranscriptEntry?
    /// The replies already sent to an inbound message, oldest first.
    func sentReplies(to platformMessageID: String, channel: Channel) async throws -> [TranscriptEntry]

    // MARK: Admin

    func conversations(channel: String?, mode: ConversationMode?, before cursor: Int64?, limit: Int) async throws -> Page<ConversationRecord>
    func messages(conversationID: ConversationID, before cursor: Int64?, limit: Int) async throws -> Page<MessageRecord>?
    func deadLetters(before cursor: Int64?, limit: Int) async throws -> Page<DeadLetterRecord>
    /// The conversation with this id, if any.
    func conversationKey(id: ConversationID) async throws -> ConversationKey?
    /// Stores messages an operator wrote in the outbox, in one transaction.
    func enqueue(_ outbound: [OutboundDraft], conversationID: ConversationID, key: ConversationKey, at: Date) async throws
    /// Puts a dead letter back in the outbox; false when there is no such dead letter.
    func retryDeadLetter(outboxID: OutboxID, at: Date) async throws -> Bool

    // MARK: Customers

    /// Customers whose name, e-mail address, phone number or platform id contains `matching` (all without it), newest first.
    func customers(matching: String?, before cursor: Int64?, limit: Int) async throws -> Page<CustomerRecord>
    /// The customer with this id, with their identities.
    func customer(_ id: CustomerID) async throws -> CustomerRecord?
    /// The customer a conversation is with.
    func customerID(of conversation: ConversationID) async throws -> CustomerID?
    /// Every row of every table that holds the customer's data (`PersonalData.tables`); nil when there is no such customer.
    func exportCustomer(_ id: CustomerID, at: Date) async throws -> CustomerExport?
    /// Makes `other`'s participants `id`'s (an operator knows they are one person); false when either is unknown.
    func linkCustomers(_ id: CustomerID, absorbing other: CustomerID, at: Date) async throws -> Bool
    /// Deletes every row of the customer's data (`PersonalData.tables`; the audit log keeps operators' actions
    /// without naming them), the short links only they were sent (served at `shortLinkPath/{code}`), and makes
    /// the deleted bytes unrecoverable from the files; nil when there is no such customer.
    func eraseCustomer(_ id: CustomerID, shortLinkPath: String, at: Date) async throws -> ErasureRecord?
    /// Makes a participant of `id` a customer of its own and returns them; nil when it is not `id`'s or is their only one.
    func unlinkParticipant(_ participant: ParticipantID, from id: CustomerID, at: Date) async throws -> CustomerID?

    /// Deletes what the policy no longer keeps, as of `now`, a batch per transaction.
    func applyRetention(_ policy: RetentionPolicy, now: Date) async throws -> RetentionOutcome

    // MARK: Idle widget conversations

    /// The conversations of `users` (sessions connected now) whose latest message is an answer of ours from
    /// before `answeredBefore`, not a nudge, after the customer wrote.
    func silentConversations(_ channel: Channel, account: String, users: [String], answeredBefore: Date) async throws -> [SilentConversation]
    /// Stores a message unless one with its idempotency key exists; false when it did (another gateway was first).
    func enqueueOnce(_ draft: OutboundDraft, conversationID: ConversationID, key: ConversationKey, at: Date) async throws -> Bool
    /// Closes, at most `limit` at a time, `channel`'s conversations idle since before `idleSince`: the
    /// customer's next message starts a new one. Returns how many were closed.
    func closeIdleConversations(_ channel: Channel, idleSince: Date, limit: Int, at: Date) async throws -> Int
    /// Whether the conversation, not answered yet, follows a closed one of the same participant.
    func resumesClosedConversation(_ conversationID: ConversationID) async throws -> Bool

    // MARK: Shop events

    /// Stores an event the shop reported, with the customer it names when one is known; false when an event with
    /// its id was stored before (a retry).
    func recordShopEvent(_ event: ShopEventRecord, jobs: [JobDraft]) async throws -> Bool
    /// The event with this id, tied to its customer if they became known since it came.
    func shopEvent(id: String) async throws -> StoredShopEvent?
    /// The newest event of `type` about the cart.
    func latestShopEvent(type: String, cartID: String) async throws -> StoredShopEvent?
    /// The newest event of `type` about the order.
    func latestShopEvent(type: String, orderID: String) async throws -> StoredShopEvent?

    // MARK: Proactive messages

    /// Where the customer can be reached and whether they agreed to marketing; nil when there is no such customer.
    func customerReach(_ id: CustomerID) async throws -> CustomerReach?
    /// Messages of `purposes` sent to the customer since `since`.
    func proactiveCount(customerID: CustomerID, purposes: [String], since: Date) async throws -> Int
    /// Records a decision and stores its messages to `participant` in the outbox, in one transaction, unless its
    /// purpose and reference were decided before; a customer at `cap` gets the decision skipped for it instead.
    func recordProactive(
        _ decision: ProactiveDecision, drafts: [OutboundDraft], to participant: CustomerReach.Participant?, cap: ProactiveCap?, at: Date
    ) async throws -> ProactiveRecording

    // MARK: Campaigns

    /// Stores a campaign and, in the same transaction, the job that sends it.
    func createCampaign(
        name: String, audience: CampaignAudience, message: CampaignMessage, sendAt: Date, createdBy: String, job: @escaping @Sendable (CampaignID) -> JobDraft,
        at: Date
    ) async throws -> CampaignRecord
    func campaign(_ id: CampaignID) async throws -> CampaignRecord?
    /// Campaigns, newest first.
    func campaigns(before cursor: Int64?, limit: Int) async throws -> Page<CampaignRecord>
    /// Cancels a campaign not yet done and withdraws its messages not yet sent; returns how many, or nil when there is no such campaign.
    func cancelCampaign(_ id: CampaignID, at: Date) async throws -> Int?
    /// Records how far the sending got (the last customer id gone through) and where the campaign stands; a cancelled one stays so.
    func advanceCampaign(_ id: CampaignID, cursor: Int64, state: CampaignState, at: Date) async throws
    /// The next customers after `cursor` (by id) the audience's channels, language and activity take in.
    func campaignAudience(_ audience: CampaignAudience, after cursor: Int64, limit: Int) async throws -> [CustomerID]
    /// The shop's events about a customer, oldest first.
    func shopEvents(customerID: CustomerID) async throws -> [StoredShopEvent]
    /// What became of the campaign's customers and messages.
    func campaignCounts(_ id: CampaignID) async throws -> CampaignCounts
    /// The link a short code stands for, counting that it was followed.
    func followLink(code: String) async throws -> String?

    // MARK: Operators

    /// Requests for a human, newest first, optionally only those in `state`.
    func handoffs(state: HandoffState?, before cursor: Int64?, limit: Int) async throws -> Page<HandoffRecord>
    /// An operator takes the conversation over (human mode); false when there is no such conversation.
    func takeOver(conversationID: ConversationID, operator: String?, account: OperatorID?, at: Date) async throws -> Bool
    /// The bot answers the conversation again and its open requests are closed; false when there is no such conversation.
    func handBack(conversationID: ConversationID, at: Date) async throws -> Bool
    /// The participant's recorded consents; nil when there is no such conversation.
    func consents(conversationID: ConversationID) async throws -> [ConsentRecord]?

    // MARK: Channels

    /// Records that the customer of `participant` opted out of its channel (SMS STOP), or back in.
    func setOptedOut(_ participant: ConversationKey, _ optedOut: Bool, at: Date) async throws
    func isOptedOut(_ participant: ConversationKey) async throws -> Bool
    /// Keeps the links short codes of replies stand for (before the replies can be sent).
    func recordLinks(_ links: [String: String], at: Date) async throws
    /// The link a short code of an SMS reply stands for.
    func link(code: String) async throws -> String?
    /// Changes what the conversation's channel keeps (after an operator's message: the options it numbered,
    /// the payloads it sent by reference), in one transaction.
    func updateChannelState(conversationID: ConversationID, _ update: @escaping @Sendable (ChannelState) -> ChannelState) async throws
    /// The customer's latest message in a conversation, as it arrived.
    func lastInboundEvent(conversationID: ConversationID) async throws -> InboundEvent?
    /// Records a participant's yes or no to a kind of marketing (an unsubscribe link, say).
    func setConsent(_ participant: ConversationKey, topic: ConsentTopic, granted: Bool, at: Date) async throws -> Bool

    // MARK: Operator accounts

    /// Adds an account; nil when one with the e-mail address (any case) exists.
    func addOperator(email: String, name: String, role: OperatorRole, passwordHash: String, at: Date) async throws -> OperatorRecord?
    /// Every account, by e-mail address.
    func operators() async throws -> [OperatorRecord]
    /// Disables an account (it can no longer log in); false when there is none with the address.
    func disableOperator(email: String, at: Date) async throws -> Bool
    /// The account with the address and its password hash, for a login.
    func operatorCredentials(email: String) async throws -> OperatorCredentials?
    /// Stores a console session by the hash of its token.
    func startSession(tokenHash: String, operatorID: OperatorID, csrfToken: String, expiresAt: Date, at: Date) async throws
    /// The unexpired session of an enabled account with this token hash.
    func session(tokenHash: String, at: Date) async throws -> ConsoleSession?
    /// Ends a session (logout), and with it every expired one.
    func endSession(tokenHash: String, at: Date) async throws

    // MARK: The console

    /// Conversations for the console's list, most recently active first; the cursor is the last entry's.
    func inbox(_ filter: InboxFilter, before cursor: String?, limit: Int) async throws -> Page<InboxEntry>
    /// A conversation with the customer's consents, opt-out, notes and verified contact; nil when there is none.
    func conversationDetail(id: ConversationID) async throws -> ConversationDetail?
    /// Gives a conversation to an operator account (human mode); false when there is no such conversation.
    func assign(conversationID: ConversationID, to account: OperatorRecord, at: Date) async throws -> Bool
    /// The account with this id, enabled or not.
    func operatorAccount(id: OperatorID) async throws -> OperatorRecord?
    /// Records that an operator read the conversation (its customer messages are no longer unread).
    func markSeen(conversationID: ConversationID, at: Date) async throws -> Bool
    /// Adds an internal note; nil when there is no such conversation.
    func addNote(conversationID: ConversationID, author: String, text: String, at: Date) async throws -> NoteRecord?
    /// A conversation's notes, oldest first.
    func notes(conversationID: ConversationID) async throws -> [NoteRecord]

    // MARK: Work done once across gateways

    /// Tells every gateway on this database `payload` on `topic` (nothing to tell on SQLite: one gateway).
    func announce(_ topic: String, _ payload: String) async throws
    /// What gateways announce on `topic` from now on, until the stream is dropped.
    func announcements(_ topic: String) -> AsyncThrowingStream<String, any Error>

    /// Claims the named work for `holder` until `lease` has passed (again, to extend it); false while
    /// another holder's lease runs.
    func claimClusterLease(_ name: String, holder: String, lease: Duration, at: Date) async throws -> Bool
    /// Gives the named work up, if `holder` holds it.
    func releaseClusterLease(_ name: String, holder: String) async throws

    // MARK: Jobs

    /// Stores jobs to run at their time.
    func enqueueJobs(_ jobs: [JobDraft], at: Date) async throws
    /// Claims due jobs for `lease`; a job whose lease ran out is claimed again.
    func claimJobs(now: Date, lease: Duration, limit: Int) async throws -> [JobRecord]
    func finishJob(_ id: JobID, at: Date) async throws
    /// Puts a claimed job back to run again at `runAt`.
    func retryJob(_ id: JobID, runAt: Date, error: String, at: Date) async throws
    /// Puts a claimed job back to run at `until` with its attempts counted afresh (it was not due yet).
    func postponeJob(_ id: JobID, until: Date, at: Date) async throws
    /// Gives a job up.
    func failJob(_ id: JobID, error: String, at: Date) async throws
    /// When the next pending job is due.
    func nextJobDue() async throws -> Date?

    // MARK: Audit log

    /// Records what an operator (or the admin key) did.
    func audit(_ action: AuditAction, by actor: String, conversationID: ConversationID?, detail: String?, at: Date) async throws
    /// The audit log, newest first.
    func auditLog(before cursor: Int64?, limit: Int) async throws -> Page<AuditRecord>
}

extension Store {
    /// Stores an event the shop reported, asking for no work.
    public func recordShopEvent(_ event: ShopEventRecord) async throws -> Bool {
        try await recordShopEvent(event, jobs: [])
    }

    /// Marks an event handled and stores its replies, with no other effect.
    public func complete(
        _ pending: PendingInbound, locale: Language?, outbound: [OutboundDraft], failure: String?, at date: Date
    ) async throws {
        try await complete(pending, locale: locale, outbound: outbound, effects: TurnEffects(), failure: failure, at: date)
    }
}
