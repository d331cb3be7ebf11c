import Foundation

/// What an operator did, as the audit log keeps it.
public enum AuditAction: String, Codable, Sendable, Hashable, CaseIterable {
    case login, logout
    case takeOver = "take_over"
    case assign, reply, release
    case export, erase, link, unlink
    /// A campaign created or cancelled.
    case campaign
}

/// One entry of the audit log: who did what, to which conversation, when.
public struct AuditRecord: Sendable, Hashable, Codable {
    public var id: AuditID
    /// The operator's e-mail address, or `admin-api` for the bearer key.
    public var actor: String
    public var action: AuditAction
    public var conversationID: ConversationID?
    public var detail: String?
    public var at: Date

    enum CodingKeys: String, CodingKey {
        case id, actor, action
        case conversationID = "conversation_id"
        case detail, at
    }
}

/// An audit log entry's id.
public typealias AuditID = RowID<Tables.AuditLog>

extension Tables {
    public enum AuditLog {}
}
