import Crypto
import Foundation

/// The signed one-click unsubscribe links of marketing mail (RFC 8058): the token is an HMAC of the address.
public struct EmailUnsubscribe: Sendable {
    /// Where the gateway serves the links.
    public static let path = "/unsubscribe/email"

    private let key: SymmetricKey

    public init(key: String) {
        self.key = SymmetricKey(data: Data(key.utf8))
    }

    public func token(for address: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(address.lowercased().utf8), using: key)
        return Data(mac).base64EncodedString().replacing("+", with: "-").replacing("/", with: "_").replacing("=", with: "")
    }

    /// A link key derived from another secret (the inbound token) when no unsubscribe secret is configured:
    /// one-way, so neither a link nor this key reveals the secret it came from.
    public static func derivedKey(from secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("chatbuddy unsubscribe links".utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return Data(mac).map { String(format: "%02x", $0) }.joined()
    }

    public func isValid(token: String, for address: String) -> Bool {
        ConstantTime.equals(token, self.token(for: address))
    }
}
