import AsyncAlgorithms
import AsyncHTTPClient
import HTTPCall
import Markup
import Foundation
import NIOCore
import Storage

/// Loads a UNAS product feed into the store: read as a stream, staged in batches, then applied in one
/// transaction, so a feed that breaks off leaves the previous catalog as it was.
public struct CatalogImporter: Sendable {
    /// Products staged per store round trip.
    public static let batchSize = 1000

    /// What an import read and changed.
    public struct Result: Sendable {
        public var source: String
        public var bytes: Int
        public var products: Int
        /// `<Product>` elements without a sku.
        public var skipped: Int
        public var summary: CatalogImportSummary
        public var duration: Duration
    }

    let store: any CatalogStore

    public init(store: any CatalogStore) {
        self.store = store
    }

    /// Imports the feed at `location`, a file path or an http(s) URL; `progress` sees each batch. With
    /// `replace`, the feed is the whole catalog: products it does not list are removed.
    public func importFeed(
        _ location: String, replace: Bool = false, progress: @escaping @Sendable (UNASFeedReader.Position) -> Void = { _ in }
    ) async throws -> Result {
        guard location.hasPrefix("http://") || location.hasPrefix("https://") else {
            return try await importFile(location, source: location, replace: replace, progress: progress)
        }
        let file = try await FeedDownload.fetch(location)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try await importFile(file, source: location, replace: replace, progress: progress)
    }

    private func importFile(
        _ path: String, source: String, replace: Bool, progress: @escaping @Sendable (UNASFeedReader.Position) -> Void
    ) async throws -> Result {
        let started = ContinuousClock.now
        let importID = try await store.beginCatalogImport(source: source, at: Date())
        do {
            let position = try await stage(path, importID: importID, progress: progress)
            let summary = try await store.applyCatalogImport(importID, replacing: replace, at: Date())
            return Result(
                source: source, bytes: position.bytes, products: position.products, skipped: position.skipped,
                summary: summary, duration: ContinuousClock.now - started)
        } catch let error as UNASFeedError {
            try? await store.discardCatalogImport(importID, reason: error.description, at: Date())
            // Name what the operator gave, not a temporary download.
            throw UNASFeedError(file: source, line: error.line, column: error.column, reason: error.reason)
        } catch {
            try? await store.discardCatalogImport(importID, reason: "\(error)", at: Date())
            throw error
        }
    }

    /// Reads the feed on one task, hashes, maps, describes and encodes its products on a second and stages them
    /// on a third, so parsing, encoding and writing overlap; a channel holds no batch of its
    /// own (a send waits for the next stage), which keeps memory flat.
    private func stage(
        _ path: String, importID: Int64, progress: @escaping @Sendable (UNASFeedReader.Position) -> Void
    ) async throws -> UNASFeedReader.Position {
        let products = AsyncThrowingChannel<[UNASProductFields], any Error>()
        let rows = AsyncThrowingChannel<[CatalogRow], any Error>()
        return try await withThrowingTaskGroup(of: UNASFeedReader.Position?.self) { group in
            group.addTask {
                do {
                    let reader = try UNASFeedReader(path: path)
                    var batch: [UNASProductFields] = []
                    batch.reserveCapacity(Self.batchSize)
                    while let fields = try reader.nextFields() {
                        batch.append(fields)
                        if batch.count == Self.batchSize {
                            await products.send(batch)
                            batch.removeAll(keepingCapacity: true)
                            progress(reader.position)
                        }
                    }
                    await products.send(batch)
                    products.finish()
                    progress(reader.position)
                    return reader.position
                } catch {
                    products.fail(error)
                    throw error
                }
            }
            group.addTask {
                do {
                    let words = HTMLWordReader()
                    for try await batch in products {
                        await rows.send(try await self.rows(of: batch, words: words))
                    }
                    rows.finish()
                    return nil
                } catch {
                    rows.fail(error)
                    throw error
                }
            }
            group.addTask {
                for try await batch in rows {
                    try await store.stageCatalog(batch, importID: importID)
                }
                return nil
            }
            var position: UNASFeedReader.Position?
            for try await result in group where result != nil { position = result }
            return position!
        }
    }

    /// The rows of a batch of products: one made from the same feed texts as the stored one is neither mapped nor
    /// encoded again, only marked unchanged.
    private func rows(of batch: [UNASProductFields], words: HTMLWordReader) async throws -> [CatalogRow] {
        let stored = try await store.catalogSources(skus: batch.compactMap(UNASProductMapping.sku))
        return try batch.compactMap { fields in
            guard let sku = UNASProductMapping.sku(of: fields) else { return nil }
            let source = fields.digest()
            if stored[sku] == source {
                return CatalogRow(sku: sku, data: "", price: nil, salePrice: nil, stock: nil, source: source, unchanged: true)
            }
            return try UNASProductMapping.entry(fields, words: words).map { try Self.row($0, source: source) }
        }
    }

    /// The entry's row, made from feed texts whose hash is `source`.
    static func row(_ entry: UNASFeedEntry, source: Int64) throws -> CatalogRow {
        guard let product = entry.product else {
            return CatalogRow(sku: entry.sku, data: "{}", deleted: true, price: nil, salePrice: nil, stock: nil, source: source)
        }
        // The generic encoder only for what the direct one refuses, and with its error.
        let data = try ProductJSON.encode(product) ?? String(decoding: CatalogCoding.encoder.encode(product), as: UTF8.self)
        return CatalogRow(
            sku: product.sku, data: data, price: product.price, salePrice: product.sale?.price, stock: product.stock,
            source: source)
    }
}

/// A feed fetched over HTTP into a temporary file, streamed chunk by chunk.
enum FeedDownload {
    /// The whole download's deadline: a feed server that stalls mid-body is cut off too.
    static let timeout = Duration.seconds(600)

    static func fetch(_ url: String) async throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-feed-\(UUID().uuidString).xml").path
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw FeedDownloadError(url: url, reason: "cannot create a temporary file")
        }
        defer { try? file.close() }
        do {
            try await HTTPClient.shared.call(HTTPClientRequest(url: url), deadline: timeout) { response in
                guard response.status == .ok else {
                    throw FeedDownloadError(url: url, reason: "the server answered \(response.status.code)")
                }
                for try await chunk in response.body {
                    try file.write(contentsOf: chunk.readableBytesView)
                }
            }
            return path
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            if let failure = error as? FeedDownloadError { throw failure }
            throw FeedDownloadError(url: url, reason: "\(error)")
        }
    }
}

/// A feed URL that could not be fetched.
public struct FeedDownloadError: Error, CustomStringConvertible {
    public var url: String
    public var reason: String
    /// Names the URL without its credentials or query (where feed keys live).
    public var description: String { "\(url.redactedURL): \(reason)" }
}
