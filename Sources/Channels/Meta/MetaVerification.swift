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
