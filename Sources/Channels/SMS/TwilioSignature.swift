import Crypto
import Foundation

/// Twilio's `X-Twilio-Signature` (docs/channels.md §3.4): Base64 HMAC-SHA1, keyed with the auth token, of the
/// full URL followed by each form parameter's name and value, sorted by name.
public struct TwilioSignature: Sendable {
    private let key: SymmetricKey

    public init(authToken: String) {
        key = SymmetricKey(data: Data(authToken.utf8))
    }

    /// The signature of a request to `url` with the decoded form `parameters` (repeated names allowed).
    public func signature(url: String, parameters: [(String, String)]) -> String {
        var message = url
        let byName = Dictionary(grouping: parameters, by: \.0)
        for name in byName.keys.sorted(by: Self.codePointOrder) {
            for value in Set(byName[name]!.map(\.1)).sorted(by: Self.codePointOrder) {
                message += name + value
            }
        }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(message.utf8), using: key)
        return Data(mac).base64EncodedString()
    }

    /// Whether `header` signs the request, checked against the URL as given, with its default port added
    /// and with its port removed, since Twilio signs either way. A URL carrying `bodySHA256` signs a JSON
    /// body: the parameters are not signed and the body's hash must match.
    public func isValid(header: String?, url: String, parameters: [(String, String)], body: Data = Data()) -> Bool {
        guard let header, !header.isEmpty else { return false }
        var signed = parameters
        if let hash = URLComponents(string: url)?.queryItems?.first(where: { $0.name == "bodySHA256" })?.value {
            let actual = SHA256.hash(data: body).map { String(format: "%02x", $0) }.joined()
            guard ConstantTime.equals(actual, hash.lowercased()) else { return false }
            signed = []
        }
        var candidates = [url]
        for variant in [Self.withDefaultPort(url), Self.withoutPort(url)] where !candidates.contains(variant) { candidates.append(variant) }
        var valid = false
        for candidate in candidates {
            // Every candidate is checked, so the time taken does not tell which one matched.
            if ConstantTime.equals(signature(url: candidate, parameters: signed), header) { valid = true }
        }
        return valid
    }

    private static func codePointOrder(_ a: String, _ b: String) -> Bool {
        a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    /// `url` with `:443` (https) or `:80` (http) when it names no port.
    static func withDefaultPort(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.port == nil, let scheme = components.scheme else { return url }
        components.port = scheme == "https" ? 443 : 80
        return components.string ?? url
    }

    /// `url` without any port it names.
    static func withoutPort(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.port != nil else { return url }
        components.port = nil
        return components.string ?? url
    }
}
