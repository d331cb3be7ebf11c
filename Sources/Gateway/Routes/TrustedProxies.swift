import Foundation
import HTTPTypes
import NIOCore

/// The reverse proxies whose forwarding headers are believed (`server.trusted_proxies`): a request from one
/// of them is from the client its `X-Forwarded-For` (or `Forwarded`) names; from anyone else, from its peer.
struct TrustedProxies: Sendable {
    let networks: [IPNetwork]

    /// The client's address: the peer's, or, when the peer is a trusted proxy, the nearest address in the
    /// forwarding chain that is not itself a trusted proxy.
    func client(peer: SocketAddress?, headers: HTTPFields) -> String {
        guard let peerAddress = peer?.ipAddress else { return "unknown" }
        guard isTrusted(peerAddress) else { return peerAddress }
        let chain = Self.forwardedFor(headers)
        // Right to left: each hop appended the address it saw; the first untrusted one is the client.
        for hop in chain.reversed() where !isTrusted(hop) { return hop }
        return chain.first ?? peerAddress
    }

    private func isTrusted(_ address: String) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The addresses of `X-Forwarded-For`, else of `Forwarded`'s `for=` parameters (RFC 7239), in order;
    /// entries that are not IP addresses (obfuscated names, `unknown`) are left out.
    static func forwardedFor(_ headers: HTTPFields) -> [String] {
        let forwardedFor = headers[values: .xForwardedFor]
        if !forwardedFor.isEmpty {
            return forwardedFor.flatMap { $0.split(separator: ",") }.compactMap { address(String($0)) }
        }
        return headers[values: .forwarded].flatMap { $0.split(separator: ",") }.compactMap { element in
            for pair in element.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "for" {
                    return address(String(parts[1]))
                }
            }
            return nil
        }
    }

    /// An IP address from a header value: quotes, IPv6 brackets and a port removed.
    private static func address(_ raw: String) -> String? {
        var text = raw.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            text = String(text[text.index(after: text.startIndex)..<close])
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            text = String(text[..<colon])
        }
        return IPNetwork.parse(text) != nil ? text : nil
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let forwarded = Self("Forwarded")!
}
