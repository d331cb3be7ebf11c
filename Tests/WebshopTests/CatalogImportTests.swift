import Foundation
@testable import Storage
import TestSupport
import Testing

@testable import Webshop

@Suite("Catalog import into the store")
struct CatalogImportTests {
    /// A small UNAS feed: (sku, name, gross price, stock), and skus marked deleted.
    static func feed(_ products: [(String, String, Double, Double)], deleted: [String] = []) throws -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Products>\n"
        for (sku, name, price, stock) in products {
            xml += """
                <Product><State>live</State><Id>\(sku)</Id><Sku>\(sku)</Sku><Name><![CDATA[\(name)]]></Name>
                <Prices><Vat>27%</Vat><Price><Type>normal</Type><Gross>\(price)</Gross></Price></Prices>
                <Categories><Category><Type>base</Type><Id>1</Id><Name>Háztartás|Konyha</Name></Category></Categories>
                <Stocks><Status><Active>1</Active></Status><Stock><Qty>\(stock)</Qty></Stock></Stocks></Product>

                """
        }
        for sku in deleted { xml += "<Product><State>deleted</State><Sku>\(sku)</Sku></Product>\n" }
        xml += "</Products>\n"
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString).xml").path
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("imports add, update, leave alone and remove products, recording price and stock changes", arguments: TestDatabase.engines)
    func importsAndChanges(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let importer = CatalogImporter(store: store)
            let first = try await importer.importFeed(try Self.feed([
                ("A-1", "Kávéfőző", 10000, 5), ("A-2", "Bögre", 2000, 10), ("A-3", "Teáskanna", 5000, 1),
            ]))
            #expect(first.products == 3)
            #expect(first.summary.added == 3)
            #expect(first.summary.changes == 0)

            let second = try await importer.importFeed(try Self.feed(
                [("A-1", "Kávéfőző", 8990, 5), ("A-2", "Bögre", 2000, 10), ("A-4", "Tejhabosító", 7000, 2), ("A-1", "Kávéfőző", 8990, 4)],
                deleted: ["A-3", "NEVER-SEEN"]))
            #expect(second.summary.added == 1)
            #expect(second.summary.updated == 1, "A-1 changed; its second row replaced the first")
            #expect(second.summary.unchanged == 1)
            #expect(second.summary.removed == 1, "a deleted sku we never had is nothing to remove")
            #expect(second.summary.changes == 2, "A-1's price and stock")

            let skus = try await store.catalogRows().map(\.sku)
            #expect(skus == ["A-1", "A-2", "A-4"])
            let changes = try await store.catalogChanges(sku: "A-1", limit: 10)
            #expect(Set(changes.map(\.field)) == ["price", "stock"])
            #expect(changes.first { $0.field == "price" }.map { [$0.oldValue, $0.newValue] } == [10000, 8990])
            #expect(changes.first { $0.field == "stock" }.map { [$0.oldValue, $0.newValue] } == [5, 4])

            let catalog = Catalog()
            #expect(try await catalog.reload(from: store) == 3)
            let found = try await UNASWebshop(catalog: catalog, client: nil).search(ProductQuery("kavefozo"))
            #expect(found.map(\.product.sku) == ["A-1"])
            #expect(found.first?.product.price == 8990)
            #expect(found.first?.product.category == "Háztartás|Konyha")
        }
    }

    @Test("two imports staged at once are each applied with their own rows", arguments: TestDatabase.engines)
    func overlappingImports(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            func row(_ sku: String, _ price: Double) -> CatalogRow {
                CatalogRow(sku: sku, data: "{\"sku\":\"\(sku)\",\"price\":\(price)}", price: price, salePrice: nil, stock: 1)
            }
            let first = try await store.beginCatalogImport(source: "first", at: Date())
            let second = try await store.beginCatalogImport(source: "second", at: Date())
            try await store.stageCatalog([row("B-1", 100), row("B-2", 200)], importID: first)
            try await store.stageCatalog([row("B-2", 250), row("B-3", 300)], importID: second)

            let applied = try await store.applyCatalogImport(first, replacing: false, at: Date())
            #expect(applied.added == 2)
            #expect(try await store.catalogRows().map(\.sku) == ["B-1", "B-2"])

            // The second import's rows were left staged by the first's apply.
            let later = try await store.applyCatalogImport(second, replacing: true, at: Date())
            #expect([later.added, later.updated, later.removed, later.changes] == [Int](repeating: 1, count: 4), "B-3 added, B-2 updated with its price, B-1 not in the full feed")
            let rows = try await store.catalogRows()
            #expect(rows.map(\.sku) == ["B-2", "B-3"])
            #expect(rows.map(\.price) == [250, 300])
        }
    }

    @Test("products are told apart by the hash of their JSON: one as stored is staged without it; rows from before hashes are compared once", arguments: TestDatabase.engines)
    func hashes(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            func stored() async throws -> [String: Int64?] {
                var hashes: [String: Int64?] = [:]
                for row in try await store.database.query("SELECT sku, data, hash FROM catalog_products") {
                    let data = try row.requireString("data")
                    #expect(row.int("hash") == nil || row.int("hash") == CatalogRow.hash(of: data), "the hash is its JSON's")
                    hashes[try row.requireString("sku")] = row.int("hash")
                }
                return hashes
            }
            let importer = CatalogImporter(store: store)
            let products = [("A-1", "Kávéfőző", 10000.0, 5.0), ("A-2", "Bögre", 2000, 10), ("A-3", "Teáskanna", 5000, 1)]
            _ = try await importer.importFeed(try Self.feed(products))
            let first = try await stored()
            #expect(first.count == 3 && first.values.allSatisfy { $0 != nil })

            // Mid-import, the staged rows: one as stored keeps only its hash, a changed one its JSON.
            let rows = try await store.catalogRows()
            let importID = try await store.beginCatalogImport(source: "test", at: Date())
            var changed = rows[0]
            changed.data = changed.data.replacingOccurrences(of: "Kávéfőző", with: "Kávéfőző pro")
            try await store.stageCatalog([changed, rows[1]], importID: importID)
            // On SQLite the staging table is the writer connection's own, so it is read in a transaction.
            let staged = try await store.database.transaction { db in
                try await db.query("SELECT sku, data, kept FROM catalog_staging WHERE import_id = \(importID) ORDER BY sku")
            }
            #expect(staged.map { $0.int("kept") } == [0, 1])
            #expect(staged.map { $0.string("data")?.isEmpty } == [false, true])
            let summary = try await store.applyCatalogImport(importID, replacing: false, at: Date())
            #expect([summary.added, summary.updated, summary.unchanged] as [Int] == [0, 1, 1])
            #expect(try await store.catalogRows().first { $0.sku == rows[0].sku }?.data == changed.data)
            #expect(try await store.catalogRows().first { $0.sku == rows[1].sku }?.data == rows[1].data, "kept as it was")

            // Rows stored before the hash column: compared by their JSON once, then hashed.
            try await store.database.query("UPDATE catalog_products SET hash = NULL")
            let again = try await importer.importFeed(try Self.feed(products))
            #expect([again.summary.added, again.summary.updated, again.summary.unchanged] as [Int] == [0, 1, 2], "A-1 is back to its feed's name")
            #expect(try await stored().values.allSatisfy { $0 != nil })
            let third = try await importer.importFeed(try Self.feed(products))
            #expect([third.summary.added, third.summary.updated, third.summary.unchanged] as [Int] == [0, 0, 3])
            #expect(try await stored() == first)
        }
    }

    @Test("a product made from the same feed texts as stored is not made again; changed texts or a row without their hash make it again", arguments: TestDatabase.engines)
    func sources(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            func data(_ sku: String) async throws -> String? {
                try await store.catalogRows().first { $0.sku == sku }?.data
            }
            let importer = CatalogImporter(store: store)
            let products = [("A-1", "Kávéfőző", 10000.0, 5.0), ("A-2", "Bögre", 2000, 10), ("A-3", "Teáskanna", 5000, 1)]
            _ = try await importer.importFeed(try Self.feed(products))
            let sources = try await store.database.query("SELECT source_hash FROM catalog_products").map { $0.int("source_hash") }
            #expect(sources.count == 3 && Set(sources).count == 3 && !sources.contains(nil))

            // A stored product written differently from what its texts would make now (as by an older release):
            // with the same texts it is not made again.
            let written = try #require(try await data("A-2")).replacingOccurrences(of: "Bögre", with: "Bögre (régi)")
            try await store.database.query(
                "UPDATE catalog_products SET data = \(written), hash = \(CatalogRow.hash(of: written)) WHERE sku = 'A-2'")
            let same = try await importer.importFeed(try Self.feed(products))
            #expect([same.summary.added, same.summary.updated, same.summary.unchanged] as [Int] == [0, 0, 3])
            #expect(try await data("A-2") == written)

            // Its price changes in the feed: made again from its texts.
            var changed = products
            changed[1].2 = 2490
            let repriced = try await importer.importFeed(try Self.feed(changed))
            #expect([repriced.summary.updated, repriced.summary.unchanged, repriced.summary.changes] as [Int] == [1, 2, 1])
            let made = try #require(try await data("A-2"))
            #expect(!made.contains("régi") && made.contains("2490"))

            // Rows from before the source hash are made once more and get it, without counting as changed.
            try await store.database.query("UPDATE catalog_products SET source_hash = NULL")
            let again = try await importer.importFeed(try Self.feed(changed))
            #expect([again.summary.added, again.summary.updated, again.summary.unchanged] as [Int] == [0, 0, 3])
            let filled = try await store.database.query("SELECT source_hash FROM catalog_products").map { $0.int("source_hash") }
            #expect(!filled.contains(nil))
        }
    }

    @Test("a malformed feed stops the import and leaves the previous catalog intact", arguments: TestDatabase.engines)
    func malformedLeavesCatalog(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let importer = CatalogImporter(store: store)
            _ = try await importer.importFeed(try Self.feed([("A-1", "Kávéfőző", 10000, 5)]))
            let before = try await store.catalogRows()
            // A feed whose first 1,000 products are fine and staged before the error.
            var products = (0..<1_200).map { ("B-\($0)", "Termék \($0)", 100.0, 1.0) }
            products[0] = ("A-1", "Kávéfőző", 1, 0)
            let path = try Self.feed(products)
            var xml = try String(contentsOfFile: path, encoding: .utf8)
            xml = xml.replacingOccurrences(of: "</Products>", with: "<Product><Sku>Z</Sku></Products>")
            try xml.write(toFile: path, atomically: true, encoding: .utf8)
            let error = await #expect(throws: UNASFeedError.self) { try await importer.importFeed(path) }
            #expect(error?.file == path)
            #expect((error?.line ?? 0) > 1_200)
            #expect(try await store.catalogRows() == before)
            #expect(try await store.catalogChanges(sku: "A-1", limit: 5).isEmpty)
            // The next good import starts clean: nothing of the failed one is applied with it.
            let next = try await importer.importFeed(try Self.feed([("A-2", "Bögre", 2000, 1)]))
            #expect(next.summary.added == 1)
            #expect(try await store.catalogRows().map(\.sku) == ["A-1", "A-2"])
        }
    }

    @Test("a feed of nested entities (\"billion laughs\") fails fast at its place and leaves the catalog intact", arguments: TestDatabase.engines)
    func entityExpansion(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let importer = CatalogImporter(store: store)
            _ = try await importer.importFeed(try Self.feed([("A-1", "Kávéfőző", 10000, 5)]))
            let before = try await store.catalogRows()
            // Ten levels of ten references: 10^10 copies of "lol" once expanded.
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE Products [\n<!ENTITY l0 \"lol\">\n"
            for level in 1...10 {
                xml += "<!ENTITY l\(level) \"" + String(repeating: "&l\(level - 1);", count: 10) + "\">\n"
            }
            xml += "]>\n<Products><Product><Sku>BOMB</Sku><Name>&l10;</Name></Product></Products>\n"
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("bomb-\(UUID().uuidString).xml").path
            try xml.write(toFile: path, atomically: true, encoding: .utf8)
            let clock = ContinuousClock()
            let start = clock.now
            let error = await #expect(throws: UNASFeedError.self) { try await importer.importFeed(path) }
            #expect(clock.now - start < .seconds(5))
            #expect(error?.file == path)
            #expect((error?.line ?? 0) > 0)
            #expect(error?.description.hasPrefix("\(path):") == true)
            #expect(try await store.catalogRows() == before)
        }
    }

    @Test("--replace treats the feed as the whole catalog: products it does not list are removed", arguments: TestDatabase.engines)
    func replaceRemovesMissing(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let importer = CatalogImporter(store: store)
            _ = try await importer.importFeed(try Self.feed([("A-1", "Kávéfőző", 10000, 5), ("DEMO-1", "Minta bögre", 990, 3)]))
            let merged = try await importer.importFeed(try Self.feed([("A-1", "Kávéfőző", 10000, 5), ("B-1", "Tejhabosító", 4990, 2)]))
            #expect(merged.summary.removed == 0)
            #expect(try await store.catalogRows().map(\.sku) == ["A-1", "B-1", "DEMO-1"], "without --replace the demo product stays")
            let replaced = try await importer.importFeed(try Self.feed([("A-1", "Kávéfőző", 10000, 5), ("B-1", "Tejhabosító", 4990, 2)]), replace: true)
            #expect(replaced.summary.removed == 1)
            #expect(try await store.catalogRows().map(\.sku) == ["A-1", "B-1"])
        }
    }
}
