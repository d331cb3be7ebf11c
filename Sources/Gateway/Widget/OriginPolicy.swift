import Foundation

/// Which web pages may talk to the widget endpoints, judged by the browser's `Origin` header.
///
/// A pattern is `*` (any page), an origin (`https://shop.hu`, `http://localhost:8080`), an origin with any
/// port (`http://localhost:*`) or with any subdomain (`https://*.shop.hu`). Requests without `Origin`, or
/// with a `ws:`/`wss:` one that no page can have, come from programs rather than pages and are allowed;
/// a page served by this server itself is always allowed.
public struct OriginPolicy: Sendable {
    private struct Pattern: Sendable {
        var scheme: String
        /// A host, or `.domain` for any subdomain.
        var host: String
        /// nil for any port.
        var port: String?
    }

    private let allowsAll: Bool
    private let patterns: [Pattern]

    public init(_ patterns: [String]) {
        allowsAll = patterns.contains("*")
        self.patterns = patterns.compactMap { pattern in
            guard let parts = Self.split(pattern) else { return nil }
            let host = parts.host.hasPrefix("*.") ? String(parts.host.dropFirst()) : parts.host
            return Pattern(scheme: parts.scheme, host: host, port: parts.port == "*" ? nil : parts.port)
        }
    }

    /// Whether a request with this `Origin` (nil when absent) and `Host` may proceed.
    public func allows(origin: String?, host: String?) -> Bool {
        guard let origin else { return true }
        if allowsAll { return true }
        let lowered = origin.lowercased()
        if lowered.hasPrefix("ws://") || lowered.hasPrefix("wss://") { return true }
        guard let parts = Self.split(origin) else { return false }
        if let host, Self.authority(parts) == host.lowercased() { return true }
        return patterns.contains { pattern in
            guard pattern.scheme == parts.scheme else { return false }
            let hostMatches = pattern.host.hasPrefix(".")
                ? parts.host.hasSuffix(pattern.host) && parts.host.count > pattern.host.count
                : parts.host == pattern.host
            return hostMatches && (pattern.port == nil || pattern.port == parts.port)
        }
    }

    /// Whether `pattern` is something `init` understands.
    public static func isValidPattern(_ pattern: String) -> Bool {
        pattern == "*" || split(pattern) != nil
    }

    /// The origin (`scheme://host[:port]`) of a URL.
    public static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host,
            !host.isEmpty
        else { return nil }
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme.lowercased())://\(shownHost.lowercased())" + (components.port.map { ":\($0)" } ?? "")
    }

    /// Scheme, host and port (the default port made explicit) of `scheme://host[:port]`, or nil.
    private static func split(_ text: String) -> (scheme: String, host: String, port: String)? {
        let lowered = text.lowercased()
        guard let separator = lowered.range(of: "://") else { return nil }
        let scheme = String(lowered[..<separator.lowerBound])
        guard scheme == "http" || scheme == "https" else { return nil }
        let authority = lowered[separator.upperBound...]
        guard !authority.isEmpty, !authority.contains("/") else { return nil }
        var host = String(authority)
        var port = scheme == "https" ? "443" : "80"
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = String(authority[..<colon])
            port = String(authority[authority.index(after: colon)...])
            guard port == "*" || (!port.isEmpty && port.allSatisfy(\.isNumber)) else { return nil }
        }
        // A `*` may only lead a subdomain wildcard.
        guard !host.isEmpty, !host.dropFirst(host.hasPrefix("*.") ? 2 : 0).contains("*") else { return nil }
        return (scheme, host, port)
    }

    private static func authority(_ parts: (scheme: String, host: String, port: String)) -> String {
        let isDefault = (parts.scheme == "http" && parts.port == "80") || (parts.scheme == "https" && parts.port == "443")
        return isDefault ? parts.host : "\(parts.host):\(parts.port)"
    }
}
