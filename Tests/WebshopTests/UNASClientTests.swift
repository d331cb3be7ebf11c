import Foundation
import TestSupport
import Testing

@testable import Webshop

@Suite("UNAS API client against a recording fake UNAS")
struct UNASClientTests {
    static let fixtures = UNASFeedReaderTests.fixtures

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    static func login(_ token: String, expires: String = "2099.01.01 00:00:00") -> FakeUpstream.Answer {
        .init(status: 200, body: """
            <?xml version="1.0" encoding="UTF-8" ?>
            <Login><Token>\(token)</Token><Expire>\(expires)</Expire><ShopId>42</ShopId><Status>ok</Status></Login>
            """)
    }

    static func error(_ status: Int, _ message: String) -> FakeUpstream.Answer {
        .init(status: status, body: "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Error>\(message)</Error>")
    }

    @Test("one login, its token on every call; the order with products apart from shipping and discount lines")
    func orderByKey() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([Self.login("tok-1"), .init(status: 200, body: try Self.fixture("getOrder_docs_example.xml")),
                                .init(status: 200, body: "<?xml version=\"1.0\"?><Orders></Orders>")])
        try await upstream.serve { base in
            let client = UNASClient(baseURL: base + "/shop", apiKey: "key & secret")
            let order = try #require(try await client.order(key: "1000-1000000"))
            let none = try await client.orders(email: "nobody@example.hu")
            #expect(none.isEmpty)
            #expect(await client.logins == 1)

            let requests = await upstream.requests
            #expect(requests.map(\.path) == ["/shop/login", "/shop/getOrder", "/shop/getOrder"])
            #expect(requests[0].body.contains("<ApiKey>key &amp; secret</ApiKey>"), "escaped by libxml2's writer")
            #expect(requests[0].header("Authorization") == nil)
            #expect(requests[1].header("Authorization") == "Bearer tok-1")
            #expect(requests[2].header("Authorization") == "Bearer tok-1")
            #expect(requests[1].body.contains("<Params><Key>1000-1000000</Key></Params>"))
            #expect(requests[2].body.contains("<Email>nobody@example.hu</Email>"))

            #expect(order.key == "1000-1000000")
            #expect(order.status == "Beérkezett")
            #expect(order.totalGross == 7620)
            #expect(order.currency == "HUF")
            #expect(order.customer.email == "unas@unas.hu")
            #expect(order.customer.name == "Kis János")
            #expect(order.payment == .init(name: "Utalás", type: "transfer", status: "paid"))
            #expect(order.shipping?.packageNumber == "PUDO123456789")
            #expect(order.invoiceNumber == "UO-1000/2012")
            #expect(order.items.map(\.sku) == ["Cikkszam1", "Cikkszam2"])
            #expect(order.items[1].variants == ["Szín: Piros", "Méret: XL"])
            #expect(order.items[0].unitPriceGross == 1270)
            #expect(order.charges.map(\.sku) == ["discount-percent", "shipping-cost", "handel-cost"])
            #expect(order.charges[0].unitPriceGross == -1270)
        }
    }

    @Test("customers prove an order is theirs by its email or phone number")
    func verification() throws {
        let order = Order(
            key: "1", customer: .init(email: "Unas@Unas.hu", name: nil, phone: "+3699111111", mobile: "+36301111111"),
            items: [], charges: [])
        #expect(order.isVerified(by: "unas@unas.hu"))
        #expect(order.isVerified(by: "+36 30 111 1111"))
        #expect(order.isVerified(by: "06-30-111-1111"))
        #expect(order.isVerified(by: "0036301111111"))
        #expect(!order.isVerified(by: "other@unas.hu"))
        #expect(!order.isVerified(by: "1111"))
        #expect(!order.isVerified(by: "+36 30 999 9999"))
    }

    @Test("the webshop reveals an order only to its customer, and says when orders cannot be looked up")
    func webshopOrders() async throws {
        let upstream = FakeUpstream()
        let order = try Self.fixture("getOrder_docs_example.xml")
        await upstream.enqueue([Self.login("t"), .init(status: 200, body: order), .init(status: 200, body: order)])
        try await upstream.serve { base in
            let shop = UNASWebshop(catalog: Catalog(), client: UNASClient(baseURL: base, apiKey: "k"))
            let verified = try await shop.order(key: "1000-1000000", verification: "unas@unas.hu", requester: "sms:+36301")
            #expect(verified?.key == "1000-1000000")
            let stranger = try await shop.order(key: "1000-1000000", verification: "someone@else.hu", requester: "sms:+36302")
            #expect(stranger == nil)
        }
        let catalogOnly = UNASWebshop(catalog: Catalog(), client: nil)
        await #expect(throws: WebshopError.ordersUnavailable) { try await catalogOnly.order(key: "1", verification: "a@b.hu", requester: "sms:+36301") }
    }

    @Test("a refused token means one new login, then the call again")
    func refusedToken() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([
            Self.login("old"), Self.error(401, "Invalid token"), Self.login("new"),
            .init(status: 200, body: try Self.fixture("getOrder_docs_example.xml")),
        ])
        try await upstream.serve { base in
            let client = UNASClient(baseURL: base, apiKey: "k")
            let order = try await client.order(key: "1000-1000000")
            #expect(order?.key == "1000-1000000")
            #expect(await client.logins == 2)
            let requests = await upstream.requests
            #expect(requests.map(\.path) == ["/login", "/getOrder", "/login", "/getOrder"])
            #expect(requests[3].header("Authorization") == "Bearer new")
        }
    }

    @Test("an expired token is renewed before the call")
    func expiredToken() async throws {
        let upstream = FakeUpstream()
        let order = try Self.fixture("getOrder_docs_example.xml")
        await upstream.enqueue([
            Self.login("short", expires: "2020.01.01 00:00:00"), .init(status: 200, body: order),
            Self.login("long"), .init(status: 200, body: order), .init(status: 200, body: order),
        ])
        try await upstream.serve { base in
            let client = UNASClient(baseURL: base, apiKey: "k")
            for _ in 0..<3 { _ = try await client.order(key: "1000-1000000") }
            #expect(await client.logins == 2)
            #expect(await upstream.requests.map(\.path) == ["/login", "/getOrder", "/login", "/getOrder", "/getOrder"])
        }
    }

    @Test("UNAS errors, a refused key and outages are typed errors")
    func errors() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([
            Self.error(400, "Wrong ApiKey"),
            Self.login("t"), Self.error(400, "Unknown parameter: Kulcs"),
            .init(status: 503, body: "down"),
            .init(status: 200, body: "not xml at all"),
        ])
        try await upstream.serve { base in
            let client = UNASClient(baseURL: base, apiKey: "bad")
            await #expect(throws: UNASError.loginFailed("Wrong ApiKey")) { try await client.order(key: "1") }
            await #expect(throws: UNASError.api("Unknown parameter: Kulcs")) { try await client.order(key: "1") }
            await #expect(throws: UNASError.unavailable("getOrder answered 503")) { try await client.order(key: "1") }
            await #expect(throws: UNASError.malformedAnswer) { try await client.order(key: "1") }
        }
    }

    @Test("an IP ban stops every call until it ends, without another request")
    func ipBan() async throws {
        #expect(UNASClient.banEnd(try Self.fixture("error_ip_banned.xml")) == UNASDate.parse("2022.02.28 10:00:00"))
        let upstream = FakeUpstream()
        await upstream.enqueue([Self.login("t"), Self.error(400, "Too much getOrder query, IP is banned till 12.31.2099 10:00:00")])
        try await upstream.serve { base in
            let client = UNASClient(baseURL: base, apiKey: "k")
            let until = try #require(UNASDate.parse("2099.12.31 10:00:00"))
            await #expect(throws: UNASError.ipBanned(until: until)) { try await client.order(key: "1") }
            await #expect(throws: UNASError.ipBanned(until: until)) { try await client.product(sku: "X") }
            #expect(await upstream.requests.count == 2, "no call while banned")
        }
    }

    @Test("a product by sku reads the same fields as the feed")
    func productBySku() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([Self.login("t"), .init(status: 200, body: try Self.fixture("getProduct_docs_example_full.xml"))])
        try await upstream.serve { base in
            let client = UNASClient(baseURL: base, apiKey: "k")
            let product = try #require(try await client.product(sku: "Cikkszam2"))
            #expect(product.name == "Termék név 2")
            #expect(product.sale?.price == 1270)
            let request = try #require(await upstream.requests.last)
            #expect(request.path == "/getProduct")
            #expect(request.body.contains("<Sku>Cikkszam2</Sku>"))
            #expect(request.body.contains("<ContentType>full</ContentType>"))
        }
    }
}
