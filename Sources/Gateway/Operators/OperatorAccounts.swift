import Foundation
import HummingbirdBcrypt
import Storage

/// Operator accounts: added with a bcrypt-hashed password, listed, disabled, and checked at login.
public struct OperatorAccounts: Sendable {
    /// Why an account cannot be added.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidEmail(String)
        case emptyName
        case passwordTooShort(minimum: Int)
        case exists(String)

        public var description: String {
            switch self {
            case .invalidEmail(let email): "\(email) is not an e-mail address"
            case .emptyName: "a name is required (--name)"
            case .passwordTooShort(let minimum): "the password must have at least \(minimum) characters"
            case .exists(let email): "an operator with the address \(email) exists"
            }
        }
    }

    /// The shortest password taken.
    public static let minimumPasswordLength = 12

    let store: any Store
    /// bcrypt's work factor: each guess costs 2^cost rounds.
    let cost: UInt8

    public init(store: any Store, cost: UInt8 = 12) {
        self.store = store
        self.cost = cost
    }

    /// Adds an account; the password is kept only as its bcrypt hash.
    public func add(email: String, name: String, role: OperatorRole, password: String, at date: Date = Date()) async throws -> OperatorRecord {
        let email = email.trimmingCharacters(in: .whitespaces)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !email.contains(" ") else { throw Failure.invalidEmail(email) }
        let name = name.trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else { throw Failure.emptyName }
        guard password.count >= Self.minimumPasswordLength else { throw Failure.passwordTooShort(minimum: Self.minimumPasswordLength) }
        let hash = Bcrypt.hash(password, cost: cost)
        guard let account = try await store.addOperator(email: email, name: name, role: role, passwordHash: hash, at: date) else {
            throw Failure.exists(email.lowercased())
        }
        return account
    }

    /// The account the e-mail address and password belong to, when it exists, is enabled and the password is right.
    public func verify(email: String, password: String) async throws -> OperatorRecord? {
        guard let credentials = try await store.operatorCredentials(email: email) else {
            // As slow as a real check, so a missing account does not show in the answer's time.
            _ = Bcrypt.verify(password, hash: Self.decoy)
            return nil
        }
        guard Bcrypt.verify(password, hash: credentials.passwordHash), credentials.account.disabledAt == nil else { return nil }
        return credentials.account
    }

    /// A hash no password matches, checked against when the account does not exist.
    private static let decoy = Bcrypt.hash(UUID().uuidString, cost: 12)
}
