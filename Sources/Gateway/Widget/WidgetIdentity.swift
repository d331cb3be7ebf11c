import Channels
import Crypto
import Foundation

/// The shop's logged-in customer, as the widget page claims them: the id counts only with the shop server's
/// signature, `data-user-hash` = hex HMAC-SHA256 of `data-user-id` keyed with `widget.identity_secret`.
struct WidgetIdentity: Sendable {
    private let key: SymmetricKey?

    init(secret: String?) {
        key = secret.map { SymmetricKey(data: Data($0.utf8)) }
    }

    /// `userID` when `hash` is its signature; nil when either is missing, the hash is wrong, or no secret is set.
    func verified(userID: String?, hash: String?) -> String? {
        guard let key, let userID, !userID.isEmpty, userID.utf8.count <= 128, let hash else { return nil }
        let expected = HMAC<SHA256>.authenticationCode(for: Data(userID.utf8), using: key).map { String(format: "%02x", $0) }.joined()
        return ConstantTime.equals(hash.lowercased(), expected) ? userID : nil
    }
}
