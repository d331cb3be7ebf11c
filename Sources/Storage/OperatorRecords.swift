import Foundation

/// What an operator may do: `admin` also manages accounts and sees the audit log.
public enum OperatorRole: String, Codable, Sendable, Hashable, CaseIterable {
    case admin
    case `operator`
}

/// An operator account, without its password hash.
public struct OperatorRecord: Sendable, Hashable, Codable {
    public var id: OperatorID
    /// Lower-cased; an account's login.
    public var email: String
    public var name: String
    public var role: OperatorRole
    /// When the account was disabled; a disabled account cannot log in.
    public var disabledAt: Date?
    public var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id, email, name, role
        case disabledAt = "disabled_at"
        case createdAt = "created_at"
    }
}

/// An account and the hash its password is checked against.
public struct OperatorCredentials: Sendable, Hashable {
    public var account: OperatorRecord
    public var passwordHash: String
}

/// An operator account's id.
public typealias OperatorID = RowID<Tables.Operators>

extension Tables {
    public enum Operators {}
}

/// A logged-in operator's session, as a request finds it by its cookie.
public struct ConsoleSession: Sendable, Hashable {
    public var account: OperatorRecord
    /// The token every state-changing console request carries.
    public var csrfToken: String
    public var expiresAt: Date
}
