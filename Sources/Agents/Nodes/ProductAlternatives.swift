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

    /// The variants of `product`'s model in the catalog, itself included.
    func variants(of product: Product) async throws -> [Product] {
        guard let category = product.category else { return [product] }
        let query = ProductQuery(Self.modelWords(product).joined(separator: " "), category: category, limit: Self.candidateLimit)
        let found = try await webshop.search(query).map(\.product).filter { Self.sameModel($0, product) }
        return found.contains { $0.sku == product.sku } ? found : found + [product]
    }

    /// Whether two products are variants of one model: the same name once what tells variants apart is gone.
    static func sameModel(_ a: Product, _ b: Product) -> Bool {
        a.sku == b.sku || modelWords(a) == modelWords(b)
    }

    /// A product's name up to its first comma or bracket (where colour, size and edition usually follow),
    /// without the words of its parameters' values ("128 GB", "fekete", "M"), folded.
    static func modelWords(_ product: Product) -> [String] {
        let head = product.name.prefix { $0 != "," && $0 != "(" }
        let variantWords = Set(product.parameters.flatMap { TextFolding.words($0.value) })
        let brand = Set(product.brand.map(TextFolding.words) ?? [])
        return TextFolding.words(String(head)).filter { !variantWords.contains($0) || brand.contains($0) }
    }
}
