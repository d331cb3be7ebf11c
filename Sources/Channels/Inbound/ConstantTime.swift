import Crypto
import Foundation

/// Comparison of secrets whose time does not depend on where they differ.
public enum ConstantTime {
    /// True when both strings are equal, compared by their SHA-256 digests in constant time.
    public static func equals(_ lhs: String, _ rhs: String) -> Bool {
        let left = SHA256.hash(data: Data(lhs.utf8))
        let right = SHA256.hash(data: Data(rhs.utf8))
        return left == right
    }
}
