import Crypto
import Foundation

/// Meta's webhook subscription handshake (`hub.mode`, `hub.verify_token`, `hub.challenge`).
public struct MetaVerification: Sendable {
    public let verifyToken: String

    public init(verifyToken: String) {
        self.verifyToken = verifyToken
    }

    /// The challenge to echo back, or nil when the request must be refused.
    public func challenge(mode: String?, token: String?, challenge: String?) -> String? {
        guard mode == "subscribe", let token, let challenge, !challenge.isEmpty,
            ConstantTime.equals(token, verifyToken)
        else { return nil }
        return challenge
    }
}

/// Comparison of secrets whose time does not depend on where they differ.
public enum ConstantTime {
    /// True when both strings are equal, compared by their SHA-256 digests in constant time.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let left = SHA256.hash(data: Data(lhs.utf8))
        let right = SHA256.hash(data: Data(rhs.utf8))
        return left == right
    }
}
