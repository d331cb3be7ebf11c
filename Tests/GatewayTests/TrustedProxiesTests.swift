import Foundation
import HTTPTypes
import NIOCore
import TestSupport
import Testing

@testable import Gateway

@Suite("The client's address behind trusted proxies")
struct TrustedProxiesTests {
    static let proxies = TrustedProxies(networks: ["10.0.0.0/8", "127.0.0.1", "fd00::/8"].compactMap(IPNetwork.init))

    static func client(peer: String, _ headers: [(HTTPField.Name, String)]) throws -> String {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: name, value: value)) }
        return proxies.client(peer: try SocketAddress(ipAddress: peer, port: 4000), headers: fields)
    }

    @Test("networks in CIDR notation, IPv4 and IPv6; nonsense is refused")
    func networks() throws {
        let private10 = try #require(IPNetwork("10.0.0.0/8"))
        #expect(private10.contains("10.200.3.4"))
        #expect(!private10.contains("11.0.0.1"))
        #expect(private10.contains("::ffff:10.1.2.3"), "IPv4-mapped")
        let v6 = try #require(IPNetwork("2001:db8::/32"))
        #expect(v6.contains("2001:db8:1::5"))
        #expect(!v6.contains("2001:db9::1"))
        #expect(IPNetwork("10.0.0.1")?.contains("10.0.0.2") == false)
        #expect(IPNetwork("10.0.0.0/33") == nil && IPNetwork("shop.example.hu") == nil && IPNetwork("") == nil)
    }

    @Test("forwarding headers count only from a trusted peer; the nearest untrusted hop is the client")
    func forwarding() throws {
        let xff = HTTPField.Name("X-Forwarded-For")!
        let forwarded = HTTPField.Name("Forwarded")!
        #expect(try Self.client(peer: "203.0.113.9", [(xff, "198.51.100.1")]) == "203.0.113.9", "untrusted peer: headers ignored")
        #expect(try Self.client(peer: "127.0.0.1", [(xff, "198.51.100.1")]) == "198.51.100.1")
        // A client cannot pick its address by prepending its own X-Forwarded-For.
        #expect(try Self.client(peer: "127.0.0.1", [(xff, "6.6.6.6, 198.51.100.1, 10.1.1.1")]) == "198.51.100.1")
        #expect(try Self.client(peer: "127.0.0.1", [(forwarded, #"for="[2001:db8::7]:443";proto=https, for=10.0.0.2"#)]) == "2001:db8::7")
        #expect(try Self.client(peer: "127.0.0.1", [(forwarded, "for=198.51.100.2:8080")]) == "198.51.100.2")
        #expect(try Self.client(peer: "127.0.0.1", []) == "127.0.0.1")
    }

    @Test("behind a trusted proxy each visitor has their own rate bucket; without it, X-Forwarded-For changes nothing")
    func rateBuckets() async throws {
        func turns(trusting: [String]) async throws -> [Int] {
            var statuses: [Int] = []
            try await GatewayHarness.run(configure: {
                $0.server.trustedProxies = trusting
                $0.widget?.addressLimit = .init(perMinute: 1, burst: 2)
            }) { gateway in
                for (index, visitor) in ["198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2"].enumerated() {
                    let answer = try await gateway.chat(
                        #"{"session_id":"visitor-session-\#(index)","content":"szia"}"#, headers: [("X-Forwarded-For", visitor)])
                    statuses.append(answer.status)
                }
            }
            return statuses
        }
        #expect(try await turns(trusting: ["127.0.0.1/32"]) == [200, 200, 429, 200])
        #expect(try await turns(trusting: []) == [200, 200, 429, 429])
    }
}
