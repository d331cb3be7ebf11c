import Crypto
import Foundation

/// One product of a catalog import as the store keeps it: the webshop's encoding of the whole product,
/// plus the figures whose changes are recorded.
public struct CatalogRow: Sendable, Hashable {
    public var sku: String
    /// The product's JSON, decoded by the webshop module; compared to tell a changed product from an unchanged one.
    public var data: String
    /// True when the feed says the product was deleted.
    public var deleted: Bool
    public var price: Double?
    public var salePrice: Double?
    public var stock: Double?
    /// The hash of the feed texts the product was made from, when it was read from a feed.
    public var source: Int64?
    /// True when the product's feed texts are as stored (`source` equals the stored one), so it was not encoded:
    /// `data` is empty and the stored product stays as it is.
    public var unchanged: Bool

    /// The hash a product's JSON is compared by between imports: the first 64 bits of its SHA-256 (stable across
    /// processes and releases, unlike `Hasher`).
    public static func hash(of data: String) -> Int64 {
        var text = data
        return text.withUTF8 { hash(of: UnsafeRawBufferPointer($0)) }
    }

    /// The same hash of bytes.
    public static func hash(of bytes: UnsafeRawBufferPointer) -> Int64 {
        var digest = SHA256()
        digest.update(bufferPointer: bytes)
        return digest.finalize().withUnsafeBytes { $0.loadUnaligned(as: Int64.self) }
    }

    public init(
        sku: String, data: String, deleted: Bool = false, price: Double?, salePrice: Double?, stock: Double?,
        source: Int64? = nil, unchanged: Bool = false
    ) {
        self.sku = sku
        self.data = data
        self.deleted = deleted
        self.price = price
        self.salePrice = salePrice
        self.stock = stock
        self.source = source
        self.unchanged = unchanged
    }
}

/// What applying an import changed.
public struct CatalogImportSummary: Sendable, Hashable {
    public var added = 0
    public var updated = 0
    public var unchanged = 0
    public var removed = 0
    /// Price, sale price and stock changes recorded.
    public var changes = 0

    public init() {}
}

/// A recorded change of a product's price, sale price or stock.
public struct CatalogChange: Sendable, Hashable {
    public var sku: String
    /// `price`, `sale_price` or `stock`.
    public var field: String
    public var oldValue: Double?
    public var newValue: Double?
    public var changedAt: Date
}

/// The webshop catalog's storage: imports staged in batches and applied in one transaction.
public protocol CatalogStore: Sendable {
    /// Starts an import from `source`; returns its id. Staged rows of imports abandoned long ago are dropped.
    func beginCatalogImport(source: String, at: Date) async throws -> Int64
    /// The source hashes of the stored products among `skus` that have one (and a hash of their JSON).
    func catalogSources(skus: [String]) async throws -> [String: Int64]
    /// Adds rows to an import (a later row of the same sku replaces an earlier one).
    func stageCatalog(_ rows: [CatalogRow], importID: Int64) async throws
    /// Applies a staged import to the catalog in one transaction, recording price and stock changes.
    /// With `replacing`, products the staged feed does not list are removed too (a full feed).
    func applyCatalogImport(_ importID: Int64, replacing: Bool, at: Date) async throws -> CatalogImportSummary
    /// Drops a staged import; the catalog stays as it was.
    func discardCatalogImport(_ importID: Int64, reason: String, at: Date) async throws
    /// Every product of the catalog.
    func catalogRows() async throws -> [CatalogRow]
    /// The latest recorded changes of a product, newest first.
    func catalogChanges(sku: String, limit: Int) async throws -> [CatalogChange]
    /// The id of the latest import applied to the catalog (it changes with the catalog), nil before any.
    func latestCatalogImport() async throws -> Int64?
}
