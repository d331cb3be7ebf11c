import ChatModel
import Foundation

/// A stored inbound event that the conversation runner still has to handle.
public struct PendingInbound: Sendable, Hashable {
    public var messageID: MessageID
    public var conversationID: ConversationID
    public var event: InboundEvent
}

/// What `Store.accept` did with a webhook's events.
public struct AcceptOutcome: Sendable, Hashable {
    /// Conversations that gained events to run.
    public var conversationsToRun: Set<ConversationID> = []
    /// Events stored for the first time.
    public var stored = 0
    /// Events already stored before (platform retries).
    public var duplicates = 0
    /// Receipts applied to outbound messages.
    public var receipts = 0
    /// Receipts naming messages this gateway never sent (acknowledged and counted).
    public var unknownReceipts = 0
    /// Echoes of our own messages, which are not stored.
    public var echoes = 0
    /// Sends the platform confirmed before their outcome was recorded: in flight, or in doubt after a crash.
    public var confirmations = 0
    /// Conversations a person took by answering from the platform's own inbox.
    public var conversationsTakenOver: Set<ConversationID> = []

    public init() {}
}

/// One rendered platform message to store in the outbox with its outbound message row.
public struct OutboundDraft: Sendable, Hashable {
    /// What kind of message it is (`text`, `quick_replies`, `generic_template`, …).
    public var kind: String
    /// Its words, for the conversation history and the admin API.
    public var text: String?
    /// The exact request body to send.
    public var payload: String
    /// Stable across retries of the same send.
    public var idempotencyKey: String
    /// How the answer was made (agent, nodes and their times), as JSON for the admin API.
    public var metadata: String?
    /// Marketing that may be sent only while the participant consents to this topic.
    public var consentTopic: ConsentTopic?

    public init(
        kind: String, text: String?, payload: String, idempotencyKey: String, metadata: String? = nil,
        consentTopic: ConsentTopic? = nil
    ) {
        self.kind = kind
        self.text = text
        self.payload = payload
        self.idempotencyKey = idempotencyKey
        self.metadata = metadata
        self.consentTopic = consentTopic
    }
}

/// An outbox row due to be sent.
public struct OutboxItem: Sendable, Hashable {
    public var id: OutboxID
    public var messageID: MessageID
    public var conversationID: ConversationID
    public var channel: Channel
    public var accountID: String
    public var recipient: String
    public var payload: String
    public var attempts: Int
    public var idempotencyKey: String
    /// The customer's last message, which opens the platform's service window.
    public var lastInboundAt: Date?
    /// The consent this marketing message needs, and whether the participant gave it.
    public var consentTopic: ConsentTopic? = nil
    public var consentGranted = false
    /// The participant opted out of the channel (SMS STOP): nothing may be sent.
    public var recipientOptedOut = false
    /// When a send of this row began under a claim that ended without recording its outcome (its gateway
    /// died mid-send): the platform may have it already.
    public var inDoubtSince: Date? = nil
}

/// A message as the customer saw it: theirs, or one of ours that was sent.
public struct TranscriptEntry: Sendable, Hashable {
    public var direction: HistoryEntry.Direction
    /// The platform's id: the customer's message id, or the id our send was given.
    public var platformMessageID: String?
    public var kind: String
    public var text: String?
    /// The stored body: the inbound event's JSON, or the request body we sent.
    public var body: String
    /// When it was received, or sent.
    public var timestamp: Date
}

/// A conversation as the admin API shows it.
public struct ConversationRecord: Sendable, Hashable, Codable {
    public var id: ConversationID
    public var channel: String
    public var accountID: String
    public var userID: String
    public var displayName: String?
    public var mode: ConversationMode
    public var locale: String?
    public var lastInboundAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, channel
        case accountID = "account_id"
        case userID = "user_id"
        case displayName = "display_name"
        case mode, locale
        case lastInboundAt = "last_inbound_at"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// A stored message (either direction) as the admin API shows it.
public struct MessageRecord: Sendable, Hashable, Codable {
    public var id: MessageID
    public var direction: String
    public var kind: String
    public var text: String?
    public var platformMessageID: String?
    public var status: MessageStatus
    public var error: String?
    public var createdAt: Date
    public var sentAt: Date?
    /// How an outbound answer was made.
    public var metadata: AnswerMetadata?
    /// False for an inbound message whose sender the platform could not confirm (an email failing SPF and DKIM).
    public var senderVerified: Bool?
    /// What was sent to the platform (an outbound message's request body), to draw it as the customer saw it.
    public var payload: String?

    enum CodingKeys: String, CodingKey {
        case id, direction, kind, text, payload
        case platformMessageID = "platform_message_id"
        case senderVerified = "sender_verified"
        case status, error, metadata
        case createdAt = "created_at"
        case sentAt = "sent_at"
    }
}

/// How many failed order verifications a subject may have in a window before it must wait out a cool-down.
public struct VerificationPolicy: Sendable, Hashable {
    public var maxFailures: Int
    public var window: Duration
    public var coolDown: Duration

    public init(maxFailures: Int = 5, window: Duration = .seconds(3600), coolDown: Duration = .seconds(3600)) {
        self.maxFailures = maxFailures
        self.window = window
        self.coolDown = coolDown
    }
}

/// An inbound event that failed every attempt at handling it and was set aside.
public struct ParkedEventRecord: Sendable, Hashable, Codable {
    public var messageID: MessageID
    public var conversationID: ConversationID
    public var channel: String
    public var attempts: Int
    public var error: String?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case conversationID = "conversation_id"
        case channel, attempts, error
        case updatedAt = "updated_at"
    }
}

/// An outbox row that ran out of attempts or was refused for good.
public struct DeadLetterRecord: Sendable, Hashable, Codable {
    public var outboxID: OutboxID
    public var messageID: MessageID
    public var conversationID: ConversationID
    public var channel: String
    public var attempts: Int
    public var lastError: String?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case outboxID = "outbox_id"
        case messageID = "message_id"
        case conversationID = "conversation_id"
        case channel, attempts
        case lastError = "last_error"
        case updatedAt = "updated_at"
    }
}

/// A page of results and the cursor for the next one.
public struct Page<Item: Sendable & Codable>: Sendable, Codable {
    public var items: [Item]
    public var nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The first `limit` of `rows` (queried with `limit + 1`, so one more means there is a next page).
    init<Table>(rows: [SQLRow], limit: Int, cursor: KeyPath<Item, RowID<Table>>, _ item: (SQLRow) throws -> Item) rethrows {
        items = try rows.prefix(limit).map(item)
        nextCursor = rows.count > limit ? items.last.map { String($0[keyPath: cursor].rawValue) } : nil
    }
}

/// What storing a handled event changes besides marking it done: the agents' memory, a handoff, consents,
/// and the return from human mode.
public struct TurnEffects: Sendable, Hashable {
    /// The conversation's memory after the turn; nil keeps it.
    public var memory: ConversationMemory?
    /// What the channel keeps after the turn; nil keeps it.
    public var channelState: ChannelState?
    /// A human was asked for, with the customer's words.
    public var handoffReason: String?
    /// The request is recorded but the conversation stays with the bot (operators are away).
    public var botStays = false
    public var consents: [ConsentChange]
    /// The conversation was in human mode and the operator has been idle long enough: the bot answers again.
    public var resumeBot: Bool
    /// The participant opted out of the channel (true) or back in (false); nil leaves it.
    public var optedOut: Bool?
    /// Work to do after the turn (telling operators of a hand-off), stored with it.
    public var jobs: [JobDraft] = []

    public init(
        memory: ConversationMemory? = nil, handoffReason: String? = nil, consents: [ConsentChange] = [], resumeBot: Bool = false,
        optedOut: Bool? = nil
    ) {
        self.memory = memory
        self.handoffReason = handoffReason
        self.consents = consents
        self.resumeBot = resumeBot
        self.optedOut = optedOut
    }
}

/// A participant saying yes or no to a kind of marketing.
public struct ConsentChange: Sendable, Hashable {
    public var topic: ConsentTopic
    public var granted: Bool

    public init(topic: ConsentTopic, granted: Bool) {
        self.topic = topic
        self.granted = granted
    }
}

/// A request for a human, as operators see it.
public struct HandoffRecord: Sendable, Hashable, Codable {
    public var id: HandoffID
    public var conversationID: ConversationID
    public var channel: String
    public var userID: String
    public var displayName: String?
    public var reason: String
    public var state: HandoffState
    public var operatorName: String?
    public var requestedAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case conversationID = "conversation_id"
        case channel
        case userID = "user_id"
        case displayName = "display_name"
        case reason, state
        case operatorName = "operator"
        case requestedAt = "requested_at"
        case updatedAt = "updated_at"
    }
}

/// A participant's recorded consent to one topic.
public struct ConsentRecord: Sendable, Hashable, Codable {
    public var topic: ConsentTopic
    public var granted: Bool
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case topic, granted
        case updatedAt = "updated_at"
    }
}
