/// A stored row's id, typed by the table it identifies, so a conversation id cannot be passed where a
/// message or outbox id is meant. It is a plain number in JSON and SQL.
public struct RowID<Table>: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: Int64

    public init(rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(_ rawValue: Int64) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { String(rawValue) }

    public static func < (lhs: RowID, rhs: RowID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The tables whose ids are typed.
public enum Tables {
    public enum Conversations {}
    public enum Messages {}
    public enum Outbox {}
    public enum Handoffs {}
    public enum Customers {}
    public enum Participants {}
}

/// A conversation's id.
public typealias ConversationID = RowID<Tables.Conversations>
/// A stored message's id (either direction).
public typealias MessageID = RowID<Tables.Messages>
/// An outbox row's id.
public typealias OutboxID = RowID<Tables.Outbox>
/// A hand-off request's id.
public typealias HandoffID = RowID<Tables.Handoffs>
/// A customer's id: the person behind participants on several channels.
public typealias CustomerID = RowID<Tables.Customers>
/// A participant's id: one customer's identity on one channel.
public typealias ParticipantID = RowID<Tables.Participants>
