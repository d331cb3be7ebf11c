import Foundation
import Testing

@testable import Webshop

/// The import's direct product encoding writes exactly what the generic encoder writes, so stored catalogs
/// compare equal across it and the decoder reads it back.
@Suite("Product JSON")
struct ProductJSONTests {
    static func generic(_ product: Product) throws -> String {
        String(decoding: try CatalogCoding.encoder.encode(product), as: UTF8.self)
    }

    @Test("the feed's products, byte for byte as JSONEncoder writes them")
    func fixtures() throws {
        for name in ["getProduct_docs_example_full.xml", "feed_latin2.xml"] {
            for entry in try UNASFeedReaderTests.entries(name).entries {
                guard let product = entry.product else { continue }
                #expect(ProductJSON.encode(product) == (try Self.generic(product)), "\(name): \(product.sku)")
            }
        }
    }

    @Test("escapes, fractions, large numbers, dates and missing members")
    func edges() throws {
        let controls = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let product = Product(
            id: "1", sku: "A/B \"q\" \\ \(controls)", name: "Tűzpiros 🔥 kávéfőző", unit: nil,
            shortDescription: "<p>a/b</p>", longDescription: nil, descriptionText: "", price: 39362.2047, netPrice: 1e21,
            vat: "27%", sale: .init(price: 0.1, start: Date(timeIntervalSince1970: 1_700_000_000.5), end: nil),
            category: nil, alternativeCategories: ["x|y"], brand: nil, url: "https://shop.example.hu/a?b=1&c=2",
            images: [], stock: -3, active: false,
            variants: [.init(name: "Szín", values: [.init(name: "Kék"), .init(name: "Piros", extraPrice: 100)])],
            parameters: [.init(name: "garancia", value: "Egy év"), .init(name: "n", group: "g", value: "v")])
        let direct = try #require(ProductJSON.encode(product))
        #expect(direct == (try Self.generic(product)))
        #expect(try CatalogCoding.decoder.decode(Product.self, from: Data(direct.utf8)) == product)
        var minimal = Product(id: "2", sku: "2", name: "két", price: 0)
        #expect(ProductJSON.encode(minimal) == (try Self.generic(minimal)))
        minimal.price = .nan
        #expect(ProductJSON.encode(minimal) == nil, "JSON has no NaN")
    }
}
