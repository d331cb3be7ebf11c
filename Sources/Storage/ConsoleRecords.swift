import ChatModel
import Foundation

/// Where a conversation stands for operators: with the bot, waiting for a person, or with a person.
public enum ConversationQueueState: String, Codable, Sendable, Hashable, CaseIterable {
    case bot
    case waiting
    case human
}

/// Which conversations the console's list shows.
public struct InboxFilter: Sendable, Hashable {
    public var channel: String?
    public var mode: ConversationMode?
    /// Only conversations with an open request for a person.
    public var waiting = false
    /// Only conversations assigned to this operator.
    public var assignedTo: OperatorID?
    /// Words in the customer's name, e-mail address, phone number, platform id or messages.
    public var search: String?

    public init(
        channel: String? = nil, mode: ConversationMode? = nil, waiting: Bool = false, assignedTo: OperatorID? = nil,
        search: String? = nil
    ) {
        self.channel = channel
        self.mode = mode
        self.waiting = waiting
        self.assignedTo = assignedTo
        self.search = search
    }
}

/// A conversation as the console's list shows it: who, where, the latest message, who answers, and what is unread.
public struct InboxEntry: Sendable, Hashable, Codable {
    /// The latest message of a conversation, either way.
    public struct LastMessage: Sendable, Hashable, Codable {
        public var direction: String
        public var kind: String
        public var text: String?
        public var at: Date
    }

    public var id: ConversationID
    public var channel: String
    public var accountID: String
    public var userID: String
    public var displayName: String?
    public var mode: ConversationMode
    public var state: ConversationQueueState
    /// Why the customer asked for a person, while the request is open or taken.
    public var handoffReason: String?
    public var operatorID: OperatorID?
    /// The operator answering: an account's name, or who answered from a platform's own inbox.
    public var operatorName: String?
    public var lastMessage: LastMessage?
    /// Customer messages since an operator last read the conversation.
    public var unread: Int
    public var locale: String?
    public var lastInboundAt: Date?
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, channel, mode, state, unread, locale
        case accountID = "account_id"
        case userID = "user_id"
        case displayName = "display_name"
        case handoffReason = "handoff_reason"
        case operatorID = "operator_id"
        case operatorName = "operator"
        case lastMessage = "last_message"
        case lastInboundAt = "last_inbound_at"
        case updatedAt = "updated_at"
    }
}

/// An operator's note on a conversation, which the customer never sees.
public struct NoteRecord: Sendable, Hashable, Codable {
    public var id: NoteID
    public var conversationID: ConversationID
    /// The operator's e-mail address, or `admin-api`.
    public var author: String
    public var text: String
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, author, text
        case conversationID = "conversation_id"
        case createdAt = "created_at"
    }
}

/// A note's id.
public typealias NoteID = RowID<Tables.ConversationNotes>

extension Tables {
    public enum ConversationNotes {}
}

/// What the console shows beside a conversation's history: its place in the list, the customer's
/// consents and opt-out, the notes, and the contact that verified the customer's orders.
public struct ConversationDetail: Sendable, Hashable, Codable {
    public var conversation: InboxEntry
    public var optedOut: Bool
    public var consents: [ConsentRecord]
    public var notes: [NoteRecord]
    /// The e-mail address or phone number the customer proved their orders with.
    public var verifiedContact: String?
    public var verifiedOrders: [String]

    enum CodingKeys: String, CodingKey {
        case conversation, consents, notes
        case optedOut = "opted_out"
        case verifiedContact = "verified_contact"
        case verifiedOrders = "verified_orders"
    }
}
