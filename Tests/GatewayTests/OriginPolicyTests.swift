import Gateway
import Testing

@Suite("Origin allow-list")
struct OriginPolicyTests {
    let policy = OriginPolicy(["https://shop.hu", "https://*.shop.hu", "http://localhost:*"])

    @Test("origins, port and subdomain wildcards")
    func matches() {
        for origin in ["https://shop.hu", "https://SHOP.hu:443", "https://www.shop.hu", "https://a.b.shop.hu",
                       "http://localhost", "http://localhost:3000"] {
            #expect(policy.allows(origin: origin, host: "chat.example.com"), "\(origin)")
        }
        for origin in ["http://shop.hu", "https://shop.hu:8443", "https://evilshop.hu", "https://shop.hu.evil.com",
                       "https://localhost:3000", "null", "file://", "garbage"] {
            #expect(!policy.allows(origin: origin, host: "chat.example.com"), "\(origin)")
        }
    }

    @Test("programs and the server's own pages are allowed")
    func programsAndSameOrigin() {
        #expect(policy.allows(origin: nil, host: "chat.example.com"))
        #expect(policy.allows(origin: "ws://127.0.0.1", host: "chat.example.com"))
        #expect(policy.allows(origin: "https://chat.example.com", host: "chat.example.com"))
        #expect(policy.allows(origin: "http://10.0.0.5:8080", host: "10.0.0.5:8080"))
        #expect(!policy.allows(origin: "http://10.0.0.5:8081", host: "10.0.0.5:8080"))
        #expect(OriginPolicy(["*"]).allows(origin: "https://anything.example", host: nil))
    }

    @Test("patterns and origins of URLs")
    func patterns() {
        for valid in ["*", "https://shop.hu", "http://localhost:*", "https://*.shop.hu", "http://[::1]:8080"] {
            #expect(OriginPolicy.isValidPattern(valid), "\(valid)")
        }
        for invalid in ["shop.hu", "https://shop.hu/", "ftp://shop.hu", "https://sh*p.hu", "https://shop.hu:port"] {
            #expect(!OriginPolicy.isValidPattern(invalid), "\(invalid)")
        }
        #expect(OriginPolicy.origin(of: "https://Chat.Shop.hu/path?q=1") == "https://chat.shop.hu")
        #expect(OriginPolicy.origin(of: "http://localhost:8080") == "http://localhost:8080")
        #expect(OriginPolicy.origin(of: "not a url") == nil)
    }
}
