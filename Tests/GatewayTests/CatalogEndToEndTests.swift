import Foundation
import TestSupport
import Testing

@testable import Gateway

@Suite("Catalog in the running gateway")
struct CatalogEndToEndTests {
    static let sampleCatalog = GatewayHarness.packageRoot.appendingPathComponent("demo/catalog/sample-unas.xml").path

    /// Waits until the gateway's catalog holds products (the import runs beside the server).
    static func waitForCatalog(_ gateway: GatewayHarness) async throws -> Int {
        for _ in 0..<200 {
            let size = try await gateway.admin("/products?q=").json["catalog_size"] as? Int ?? 0
            if size > 0 { return size }
            try await Task.sleep(for: .milliseconds(50))
        }
        return 0
    }

    @Test("serve imports the configured feed at start; the admin API searches it like the agents will")
    func sampleCatalog() async throws {
        try await GatewayHarness.run(configure: { $0.webshop.feed = Self.sampleCatalog }) { gateway in
            let size = try await Self.waitForCatalog(gateway)
            #expect((90...120).contains(size), "the sample catalog has about a hundred products")

            let cheap = try await gateway.admin("/products?q=kavefozo&max_price=20000")
            #expect(cheap.status == 200)
            let products = try #require(cheap.json["products"] as? [NSDictionary])
            #expect(products.map { $0["sku"] as? String } == ["KG-003"], "the Tefal at its 12,990 sale price")
            #expect(products.first?["sale_price"] as? Double == 12990)
            #expect(products.first?["image_url"] as? String == "/products/household.svg")
            #expect(products.first?["url"] as? String == "https://shop.example.hu/kg-003")

            let english = try await gateway.admin("/products?q=running%20shoes&in_stock=true")
            let englishSkus = (english.json["products"] as? [NSDictionary] ?? []).compactMap { $0["sku"] as? String }
            #expect(englishSkus.first?.hasPrefix("FT-") == true, "\(englishSkus)")
            #expect(!englishSkus.contains("FT-006"), "out of stock")

            let lego = try await gateway.admin("/products?q=&brand=lego&category=Játék")
            #expect((lego.json["products"] as? [NSDictionary])?.count == 4)

            let product = try await gateway.admin("/products/TEL-001")
            #expect((product.json["product"] as? NSDictionary)?["brand"] as? String == "Samsung")
            #expect((product.json["changes"] as? [Any])?.isEmpty == true)
            #expect(try await gateway.admin("/products/NOPE").status == 404)
        }
    }

    @Test("the widget answers a product question with cards from the sample catalog")
    func widgetProductAnswer() async throws {
        try await GatewayHarness.run(configure: { $0.webshop.feed = Self.sampleCatalog }) { gateway in
            _ = try await Self.waitForCatalog(gateway)
            let socket = gateway.widget("sess-product-question")
            _ = try await socket.next("history")
            socket.say("Van olcsó kávéfőzőtök?")
            let answer = try await socket.next("chat_response")
            #expect(answer["agent_type"] as? String == "product_info")
            let cards = try #require((answer["reply"] as? NSDictionary)?["cards"] as? [NSDictionary])
            #expect(cards.contains { $0["sku"] as? String == "KG-003" })
            let tefal = try #require(cards.first { $0["sku"] as? String == "KG-003" })
            #expect(tefal["subtitle"] as? String == "12 990 Ft (akciós, 14 990 Ft helyett) · Raktáron")
            #expect(tefal["image_url"] as? String == "/products/household.svg")
            try await socket.close()
        }
    }

    @Test("bad search parameters get 400 and the admin key is required")
    func badInput() async throws {
        try await GatewayHarness.run { gateway in
            let negative = try await gateway.admin("/products?q=x&max_price=-1")
            #expect(negative.status == 400)
            #expect(negative.errorCode == "invalid_max_price")
            #expect(try await gateway.admin("/products?limit=0").errorCode == "invalid_limit")
            #expect(try await gateway.request(.GET, "/api/v1/admin/products?q=x").status == 401)
            #expect(try await gateway.admin("/products?q=kave").json["catalog_size"] as? Int == 0, "no feed configured")
        }
    }

    @Test("operators look orders up through the UNAS API; without a key the route says why")
    func orders() async throws {
        let unas = FakeUpstream()
        let order = try String(
            contentsOf: GatewayHarness.packageRoot.appendingPathComponent("Tests/Fixtures/unas/getOrder_docs_example.xml"), encoding: .utf8)
        await unas.enqueue([
            .init(status: 200, body: "<?xml version=\"1.0\"?><Login><Token>t-1</Token></Login>"),
            .init(status: 200, body: order),
            .init(status: 200, body: "<?xml version=\"1.0\"?><Orders/>"),
            .init(status: 400, body: "<?xml version=\"1.0\"?><Error>Too much getOrder query, IP is banned till 12.31.2099 10:00:00</Error>"),
        ])
        try await unas.serve { unasURL in
            try await GatewayHarness.run(configure: { $0.webshop.apiKey = "unas-key"; $0.webshop.apiBaseURL = unasURL }) { gateway in
                let found = try await gateway.admin("/orders/1000-1000000")
                #expect(found.status == 200)
                #expect(found.json["key"] as? String == "1000-1000000")
                #expect(((found.json["items"] as? [NSDictionary]) ?? []).count == 2)
                #expect(((found.json["charges"] as? [NSDictionary]) ?? []).count == 3)
                #expect(try await gateway.admin("/orders/9-9").status == 404)
                let banned = try await gateway.admin("/orders/1-1")
                #expect(banned.status == 502)
                #expect(banned.errorCode == "unas_unavailable")
                let requests = await unas.requests
                #expect(requests.map(\.path) == ["/login", "/getOrder", "/getOrder", "/getOrder"])
                #expect(requests[0].body.contains("<ApiKey>unas-key</ApiKey>"))
                #expect(!found.body.contains("t-1") && !banned.body.contains("unas-key"), "no token or key in answers")
            }
        }
        try await GatewayHarness.run { gateway in
            let closed = try await gateway.admin("/orders/1000-1000000")
            #expect(closed.status == 503)
            #expect(closed.errorCode == "orders_unavailable")
        }
    }

    @Test("the feed is imported again on every interval: changed prices reach search and are recorded")
    func resync() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-resync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let feed = folder.appendingPathComponent("feed.xml").path
        let original = try String(contentsOfFile: Self.sampleCatalog, encoding: .utf8)
        try original.write(toFile: feed, atomically: true, encoding: .utf8)
        try await GatewayHarness.run(configure: { $0.webshop.feed = feed; $0.webshop.syncInterval = .milliseconds(200) }) { gateway in
            #expect(try await Self.waitForCatalog(gateway) > 0)
            // The Tefal filter coffee maker (KG-003) goes from 14,990 to 13,490.
            try original.replacingOccurrences(of: "<Gross>14990</Gross>", with: "<Gross>13490</Gross>")
                .write(toFile: feed, atomically: true, encoding: .utf8)
            var price: Double?
            for _ in 0..<100 {
                let found = try await gateway.admin("/products?q=tefal%20filteres")
                price = ((found.json["products"] as? [NSDictionary])?.first)?["price"] as? Double
                if price == 13490 { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(price == 13490)
            let changes = try await gateway.admin("/products/KG-003").json["changes"] as? [NSDictionary] ?? []
            #expect(changes.contains { $0["field"] as? String == "price" && $0["old_value"] as? Double == 14990 && $0["new_value"] as? Double == 13490 })
        }
    }

    @Test("a broken feed at start leaves the stored catalog serving")
    func brokenFeed() async throws {
        let broken = GatewayHarness.packageRoot.appendingPathComponent("Tests/Fixtures/unas/feed_malformed.xml").path
        let databaseURL = try await TestDatabase.sqlite.makeURL()
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            config.webshop.feed = Self.sampleCatalog
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                let size = try await Self.waitForCatalog(gateway)
                #expect(size > 0)
            }
            config.webshop.feed = broken
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                let size = try await Self.waitForCatalog(gateway)
                #expect(size > 90, "the previous catalog is loaded and stays")
                try await Task.sleep(for: .milliseconds(300))
                let later = try await gateway.admin("/products?q=").json["catalog_size"] as? Int
                #expect(later == size)
            }
        }
    }
}
