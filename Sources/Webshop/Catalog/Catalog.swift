import Foundation
import Storage
import Synchronization

/// The catalog as searches see it: an index over the stored products, swapped whole after each import.
public final class Catalog: Sendable {
    private let index = Mutex(SearchIndex(products: []))
    /// What every index is searched with.
    private let synonyms: SearchSynonyms

    /// An empty catalog whose searches read `synonyms`.
    public init(synonyms: SearchSynonyms = .none) {
        self.synonyms = synonyms
    }

    /// The index searches use now.
    public var current: SearchIndex {
        index.withLock { $0 }
    }

    /// Rebuilds the index from the stored catalog; returns how many products it holds.
    @discardableResult
    public func reload(from store: any CatalogStore) async throws -> Int {
        let rows = try await store.catalogRows()
        let products = try rows.map { try CatalogCoding.decoder.decode(Product.self, from: Data($0.data.utf8)) }
        return replace(products)
    }

    /// Searches answer from `products` from now on; returns how many there are.
    @discardableResult
    public func replace(_ products: [Product]) -> Int {
        let rebuilt = SearchIndex(products: products, synonyms: synonyms)
        index.withLock { $0 = rebuilt }
        return rebuilt.products.count
    }

}

/// The one JSON form a product is stored in: stable key order, so an unchanged product encodes the same.
enum CatalogCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}
