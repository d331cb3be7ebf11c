import Foundation
import Testing

@Suite("Demo content only when asked for")
struct DemoContentTests {
    static let session = "demo-0123456789"

    /// The bot's answer to `text` on a fresh widget session.
    static func ask(_ gateway: GatewayHarness, _ text: String) async throws -> String {
        let answer = try await gateway.chat(#"{"session_id":"\#(session)","content":"\#(text)"}"#)
        #expect(answer.status == 200)
        return ((answer.json["data"] as? NSDictionary)?["content"] as? String) ?? answer.body
    }

    @Test("production: no sample catalog, no demo coupons or shop contacts, no demo page")
    func production() async throws {
        try await GatewayHarness.run { gateway in
            #expect(try await gateway.request(.GET, "/").status == 404)
            #expect(try await gateway.request(.GET, "/ready").status == 200, "no feed: the stored catalog is ready as it is")
            let products = try await gateway.admin("/products?q=telefon")
            #expect(products.status == 200)
            #expect(products.json["catalog_size"] as? Int == 0, "\(products.body)")
            #expect(try await Self.ask(gateway, "Érvényes még az UDV10 kupon?").contains("nem ismerem"))
            #expect(!(try await Self.ask(gateway, "Mi az elérhetőségetek?").contains("hello@shop.example.hu")))
        }
    }

    @Test("demo: the sample catalog is imported, the demo coupons and contacts answer, the demo page is served")
    func demo() async throws {
        try await GatewayHarness.run(configure: { $0.enableDemo(directory: GatewayHarness.demo) }) { gateway in
            #expect(try await gateway.request(.GET, "/").status == 200)
            var ready = try await gateway.request(.GET, "/ready")
            for _ in 0..<400 where ready.status != 200 {
                try await Task.sleep(for: .milliseconds(25))
                ready = try await gateway.request(.GET, "/ready")
            }
            #expect(ready.status == 200)
            let products = try await gateway.admin("/products?q=telefon")
            #expect((products.json["catalog_size"] as? Int ?? 0) > 90, "\(products.body)")
            #expect((products.json["products"] as? [Any])?.isEmpty == false, "\(products.body)")
            #expect(try await Self.ask(gateway, "Érvényes még az UDV10 kupon?").contains("10% kedvezmény"))
            #expect(try await Self.ask(gateway, "Mi az elérhetőségetek?").contains("hello@shop.example.hu"))
        }
    }
}
