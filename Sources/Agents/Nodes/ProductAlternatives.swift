import Foundation
import Webshop

/// Other models of a product's category that can be bought now: what an out-of-stock answer, "something
/// similar" and "something cheaper" offer.
struct ProductAlternatives {
    let webshop: any Webshop
    /// Products read from the category before ranking them.
    static let candidateLimit = 60

    /// In-stock products of `product`'s category within the price range, other models than `product`'s.
    func inCategory(of product: Product, minPrice: Double? = nil, maxPrice: Double? = nil) async throws -> [Product] {
        guard let category = product.category else { return [] }
        let query = ProductQuery("", minPrice: minPrice, maxPrice: maxPrice, inStockOnly: true, category: category, limit: Self.candidateLimit)
        return try await webshop.search(query).map(\.product).filter { $0.inStock && !Self.sameModel($0, product) }
    }

    /// The same, closest to `product`'s price at `date` first.
    func closestInPrice(to product: Product, minPrice: Double? = nil, maxPrice: Double? = nil, at date: Date) async throws -> [Product] {
        let price = product.currentPrice(at: date)
        return try await inCategory(of: product, minPrice: minPrice, maxPrice: maxPrice)
            .sorted { abs($0.currentPrice(at: date) - price) < abs($1.currentPrice(at: date) - price) }
    }

    /// Whether two products are variants of one model (their names begin with the same three words).
    static func sameModel(_ a: Product, _ b: Product) -> Bool {
        a.sku == b.sku || Array(TextFolding.words(a.name).prefix(3)) == Array(TextFolding.words(b.name).prefix(3))
    }
}
