import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// The console's sessions: a random token in a cookie, kept in the store only as its SHA-256.
struct ConsoleSessions: Sendable {
    static let cookieName = "chatbuddy_session"
    /// How long a session lasts.
    static let lifetime: TimeInterval = 12 * 3600
    /// The header that carries the CSRF token of a script's state-changing request.
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    let store: any Store

    /// The session the request's cookie names, while it lasts and its account is enabled.
    func session(_ request: Request) async throws -> ConsoleSession? {
        guard let token = request.cookies[Self.cookieName]?.value, !token.isEmpty else { return nil }
        return try await store.session(tokenHash: Self.hash(token), at: Date())
    }

    /// 32 random bytes, URL-safe base64 (a cookie value and a form field as they are).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The SHA-256 of a token, in hex: what the store keeps.
    static func hash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
