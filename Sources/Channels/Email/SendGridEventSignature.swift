import Crypto
import Foundation

/// The check of SendGrid's signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is a base64 ECDSA
/// P-256 signature, over SHA-256, of `X-Twilio-Email-Event-Webhook-Timestamp` followed by the raw body,
/// made with the key pair whose public half SendGrid shows in its settings (docs/channels.md §4.7).
public struct SendGridEventSignature: Sendable {
    public static let signatureHeader = "X-Twilio-Email-Event-Webhook-Signature"
    public static let timestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp"

    private let key: P256.Signing.PublicKey

    /// Reads the public key as SendGrid shows it (base64 of the DER key) or as a PEM block; nil when it is neither.
    public init?(publicKey: String) {
        let base64 = publicKey.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
            .filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: base64), let key = try? P256.Signing.PublicKey(derRepresentation: der) else { return nil }
        self.key = key
    }

    /// True when `signature` signs `timestamp` followed by `body` with this key.
    public func isValid(signature: String?, timestamp: String?, body: [UInt8]) -> Bool {
        guard let signature, let timestamp, !timestamp.isEmpty, let bytes = Data(base64Encoded: signature),
            let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: bytes)
        else { return false }
        return key.isValidSignature(ecdsa, for: Data(timestamp.utf8) + body)
    }
}
