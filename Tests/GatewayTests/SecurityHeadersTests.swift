import Foundation
import TestSupport
import Testing

@Suite("Security headers, the metrics token and readiness")
struct SecurityHeadersTests {
    @Test("every answer is nosniff with no referrer; HTML carries a CSP with the configured frame-ancestors")
    func headers() async throws {
        try await GatewayHarness.run(configure: {
            GatewayHarness.demoWithoutCatalog(&$0)
            $0.server.frameAncestors = ["'self'", "https://bolt.example.hu"]
        }) { gateway in
            for path in ["/health", "/nowhere", "/", "/widget.js"] {
                let answer = try await gateway.request(.GET, path)
                #expect(answer.headers.first(name: "X-Content-Type-Options") == "nosniff", "\(path)")
                #expect(answer.headers.first(name: "Referrer-Policy") == "no-referrer", "\(path)")
            }
            let page = try await gateway.request(.GET, "/")
            #expect(page.status == 200)
            let policy = try #require(page.headers.first(name: "Content-Security-Policy"))
            #expect(policy.contains("script-src 'self'"))
            #expect(policy.hasSuffix("frame-ancestors 'self' https://bolt.example.hu"))
            #expect(try await gateway.request(.GET, "/health").headers.first(name: "Content-Security-Policy") == nil)
        }
    }

    @Test("with METRICS_TOKEN set, /metrics wants it as a bearer token")
    func metricsToken() async throws {
        try await GatewayHarness.run(configure: { $0.server.metricsToken = "m-token-1" }) { gateway in
            let open = try await gateway.request(.GET, "/metrics")
            #expect(open.status == 401)
            #expect(open.errorCode == "unauthorized")
            #expect(try await gateway.request(.GET, "/metrics", headers: [("Authorization", "Bearer wrong")]).status == 401)
            let allowed = try await gateway.request(.GET, "/metrics", headers: [("Authorization", "Bearer m-token-1")])
            #expect(allowed.status == 200)
            #expect(allowed.body.contains("# HELP"))
        }
    }

    @Test("/ready is 503 until the feed's first import has loaded the catalog, then product questions find it")
    func readyAfterCatalog() async throws {
        let feed = FakeUpstream()
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?><Products><Product><State>live</State><Id>1</Id><Sku>RDY-1</Sku>
            <Name>Zöld teáskanna</Name><Prices><Vat>27%</Vat><Price><Type>normal</Type><Gross>4990</Gross></Price></Prices></Product></Products>
            """
        await feed.enqueue([.init(status: 200, body: xml, delay: .seconds(1))])
        try await feed.serve { feedURL in
            try await GatewayHarness.run(configure: { $0.webshop.feed = feedURL + "/feed.xml" }) { gateway in
                let early = try await gateway.request(.GET, "/ready")
                #expect(early.status == 503)
                #expect(early.errorCode == "not_ready")
                var ready = early
                for _ in 0..<200 where ready.status != 200 {
                    try await Task.sleep(for: .milliseconds(25))
                    ready = try await gateway.request(.GET, "/ready")
                }
                #expect(ready.status == 200)
                let found = try await gateway.request(.GET, "/api/v1/admin/products?q=teáskanna", headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)")])
                #expect(found.body.contains("RDY-1"))
            }
        }
    }
}
