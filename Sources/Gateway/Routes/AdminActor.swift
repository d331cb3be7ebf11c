import Storage

/// Who an admin request acts for: the holder of the admin key, or a signed-in operator.
enum AdminActor: Sendable {
    case apiKey
    case account(OperatorRecord)

    /// How the audit log and notes name them: the operator's e-mail address, or `admin-api`.
    var auditName: String {
        switch self {
        case .apiKey: "admin-api"
        case .account(let account): account.email
        }
    }

    /// The operator account, when a person signed in.
    var account: OperatorRecord? {
        if case .account(let account) = self { account } else { nil }
    }

    /// Whether they may see the audit log and manage accounts.
    var isAdmin: Bool {
        switch self {
        case .apiKey: true
        case .account(let account): account.role == .admin
        }
    }
}
