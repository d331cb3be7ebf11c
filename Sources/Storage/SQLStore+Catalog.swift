import Foundation

/// The webshop catalog on SQLite and PostgreSQL.
extension SQLStore {
    /// Rows per multi-row `INSERT` while staging (10 values each, well under both engines' bind limits).
    static let stagingBatch = 250
    /// Staged rows of an import not finished within this long are dropped by the next import.
    static let abandonedImportAge: TimeInterval = 6 * 3600

    public func beginCatalogImport(source: String, at date: Date) async throws -> Int64 {
        let now = date.milliseconds
        let stale = Date(timeIntervalSince1970: date.timeIntervalSince1970 - Self.abandonedImportAge).milliseconds
        let sqlite = database.dialect == .sqlite
        return try await database.transaction { db in
            if sqlite {
                // Every SQLite write goes through the one writer connection, so a temporary staging table there
                // shadows the stored one for all staging statements and keeps staged rows out of the WAL;
                // a crash simply forgets them.
                try await db.query(
                    """
                    CREATE TEMP TABLE IF NOT EXISTS catalog_staging (
                        import_id BIGINT NOT NULL, sku TEXT NOT NULL, deleted INTEGER NOT NULL, data TEXT NOT NULL,
                        price DOUBLE PRECISION, sale_price DOUBLE PRECISION, stock DOUBLE PRECISION,
                        hash BIGINT, kept INTEGER NOT NULL DEFAULT 0, source_hash BIGINT, PRIMARY KEY (import_id, sku))
                    """)
                // Staged rows are the shop's catalog, no one's personal data: freed pages need not be overwritten.
                try await db.query("PRAGMA temp.secure_delete = OFF")
            }
            try await db.query(
                """
                DELETE FROM catalog_staging WHERE import_id IN
                    (SELECT id FROM catalog_imports WHERE finished_at IS NULL AND started_at < \(stale))
                """)
            try await db.query(
                """
                UPDATE catalog_imports SET finished_at = \(now), outcome = 'abandoned'
                WHERE finished_at IS NULL AND started_at < \(stale)
                """)
            let rows = try await db.query(
                "INSERT INTO catalog_imports (source, started_at) VALUES (\(source), \(now)) RETURNING id")
            return try rows[0].requireInt("id")
        }
    }

    public func catalogSources(skus: [String]) async throws -> [String: Int64] {
        var sources: [String: Int64] = [:]
        for start in stride(from: 0, to: skus.count, by: Self.stagingBatch) {
            let batch = Array(skus[start..<min(start + Self.stagingBatch, skus.count)])
            let lookup: SQLStatement = """
                SELECT sku, source_hash FROM catalog_products
                WHERE hash IS NOT NULL AND source_hash IS NOT NULL AND sku IN (\(list: batch))
                """
            for row in try await database.query(lookup) {
                if let source = row.int("source_hash") { sources[try row.requireString("sku")] = source }
            }
        }
        return sources
    }

    public func stageCatalog(_ rows: [CatalogRow], importID: Int64) async throws {
        // One statement may not name a key twice (PostgreSQL refuses it): the last row of a sku wins.
        var latest: [String: Int] = [:]
        for (index, row) in rows.enumerated() { latest[row.sku] = index }
        let unique = rows.indices.filter { latest[rows[$0].sku] == $0 }.map { rows[$0] }
        guard !unique.isEmpty else { return }
        let hashes = unique.map { $0.deleted || $0.unchanged ? nil : CatalogRow.hash(of: $0.data) }
        try await database.transaction { db in
            var start = unique.startIndex
            while start < unique.endIndex {
                let end = min(start + Self.stagingBatch, unique.endIndex)
                // A product stored with the same hash is staged without its JSON: applying leaves it alone.
                var stored: [String: (hash: Int64, source: Int64?)] = [:]
                let compared = unique[start..<end].indices.filter { hashes[$0] != nil }.map { unique[$0].sku }
                if !compared.isEmpty {
                    let lookup: SQLStatement = "SELECT sku, hash, source_hash FROM catalog_products WHERE sku IN (\(list: compared))"
                    for row in try await db.query(lookup) {
                        if let hash = row.int("hash") { stored[try row.requireString("sku")] = (hash, row.int("source_hash")) }
                    }
                }
                var statement: SQLStatement =
                    "INSERT INTO catalog_staging (import_id, sku, deleted, data, price, sale_price, stock, hash, kept, source_hash) "
                statement.append("VALUES ")
                for index in start..<end {
                    let row = unique[index]
                    // A row with its source hash is staged in full when the stored one lacks it, to be given it.
                    let kept = row.unchanged
                        || (hashes[index] != nil && stored[row.sku]?.hash == hashes[index]
                            && (row.source == nil || stored[row.sku]?.source == row.source))
                    if index > start { statement.append(", ") }
                    statement.append(
                        """
                        (\(importID), \(row.sku), \(row.deleted ? 1 : 0), \(kept ? "" : row.data), \(row.price), \(row.salePrice),
                         \(row.stock), \(hashes[index]), \(kept ? 1 : 0), \(row.source))
                        """)
                }
                statement.append(
                    """
                     ON CONFLICT (import_id, sku) DO UPDATE SET deleted = excluded.deleted, data = excluded.data,
                        price = excluded.price, sale_price = excluded.sale_price, stock = excluded.stock,
                        hash = excluded.hash, kept = excluded.kept, source_hash = excluded.source_hash
                    """)
                try await db.query(statement)
                start = end
            }
        }
    }

    public func applyCatalogImport(_ importID: Int64, replacing: Bool, at date: Date) async throws -> CatalogImportSummary {
        let now = date.milliseconds
        // SQLite's staging table is the writer connection's own and holds this process's imports, almost always this
        // one alone: it is read in the order it was written instead of through its key's index, whose sku order sends
        // each row's read to another page of the table.
        let sqlite = database.dialect == .sqlite
        let notIndexed = self.notIndexed
        return try await database.transaction { db in
            var summary = CatalogImportSummary()
            let counts = try await db.query(
                """
                SELECT
                  COALESCE(SUM(CASE WHEN s.deleted = 0 AND p.sku IS NULL THEN 1 ELSE 0 END), 0) AS added,
                  COALESCE(SUM(CASE WHEN s.deleted = 0 AND s.kept = 0 AND p.data <> s.data THEN 1 ELSE 0 END), 0) AS updated,
                  COALESCE(SUM(CASE WHEN s.deleted = 0 AND (s.kept = 1 OR p.data = s.data) THEN 1 ELSE 0 END), 0) AS unchanged,
                  COALESCE(SUM(CASE WHEN s.deleted = 1 AND p.sku IS NOT NULL THEN 1 ELSE 0 END), 0) AS removed
                FROM catalog_staging s\(unsafeRaw: notIndexed) LEFT JOIN catalog_products p ON p.sku = s.sku
                WHERE s.import_id = \(importID)
                """)
            summary.added = Int(counts.first?.int("added") ?? 0)
            summary.updated = Int(counts.first?.int("updated") ?? 0)
            summary.unchanged = Int(counts.first?.int("unchanged") ?? 0)
            summary.removed = Int(counts.first?.int("removed") ?? 0)
            for field in ["price", "sale_price", "stock"] {
                let recorded = try await db.query(
                    """
                    INSERT INTO catalog_changes (sku, field, old_value, new_value, changed_at)
                    SELECT s.sku, '\(unsafeRaw: field)', p.\(unsafeRaw: field), s.\(unsafeRaw: field), \(now)
                    FROM catalog_staging s\(unsafeRaw: notIndexed) JOIN catalog_products p ON p.sku = s.sku
                    WHERE s.import_id = \(importID) AND s.deleted = 0 AND s.kept = 0
                      AND p.\(unsafeRaw: field) IS DISTINCT FROM s.\(unsafeRaw: field)
                    RETURNING id
                    """)
                summary.changes += recorded.count
            }
            try await db.query(
                """
                INSERT INTO catalog_products (sku, data, price, sale_price, stock, hash, source_hash, updated_at)
                SELECT sku, data, price, sale_price, stock, hash, source_hash, \(now) FROM catalog_staging\(unsafeRaw: notIndexed)
                WHERE import_id = \(importID) AND deleted = 0 AND kept = 0
                ON CONFLICT (sku) DO UPDATE SET data = excluded.data, price = excluded.price,
                    sale_price = excluded.sale_price, stock = excluded.stock, hash = excluded.hash,
                    source_hash = excluded.source_hash, updated_at = excluded.updated_at
                WHERE catalog_products.hash IS DISTINCT FROM excluded.hash
                    OR catalog_products.source_hash IS DISTINCT FROM excluded.source_hash
                """)
            try await db.query(
                """
                DELETE FROM catalog_products
                WHERE sku IN (SELECT sku FROM catalog_staging WHERE import_id = \(importID) AND deleted = 1)
                """)
            if replacing {
                let missing = try await db.query(
                    """
                    DELETE FROM catalog_products
                    WHERE sku NOT IN (SELECT sku FROM catalog_staging WHERE import_id = \(importID))
                    RETURNING sku
                    """)
                summary.removed += missing.count
            }
            let alone = try await sqlite
                ? db.query("SELECT 1 AS other FROM catalog_staging WHERE import_id <> \(importID) LIMIT 1").isEmpty : false
            if alone {
                // Without a WHERE, SQLite frees the table's pages at once instead of deleting row by row.
                try await db.query("DELETE FROM catalog_staging")
            } else {
                try await db.query("DELETE FROM catalog_staging WHERE import_id = \(importID)")
            }
            try await db.query(
                "UPDATE catalog_imports SET finished_at = \(now), outcome = 'applied' WHERE id = \(importID)")
            return summary
        }
    }

    public func discardCatalogImport(_ importID: Int64, reason: String, at date: Date) async throws {
        try await database.transaction { db in
            try await db.query("DELETE FROM catalog_staging WHERE import_id = \(importID)")
            try await db.query(
                """
                UPDATE catalog_imports SET finished_at = \(date.milliseconds), outcome = \("failed: " + reason)
                WHERE id = \(importID)
                """)
        }
    }

    public func latestCatalogImport() async throws -> Int64? {
        try await database.query("SELECT MAX(id) AS id FROM catalog_imports WHERE outcome = 'applied'").first?.int("id")
    }

    public func catalogRows() async throws -> [CatalogRow] {
        try await database.query("SELECT sku, data, price, sale_price, stock FROM catalog_products ORDER BY sku").map { row in
            CatalogRow(
                sku: try row.requireString("sku"), data: try row.requireString("data"),
                price: row.double("price"), salePrice: row.double("sale_price"), stock: row.double("stock"))
        }
    }

    public func catalogChanges(sku: String, limit: Int) async throws -> [CatalogChange] {
        try await database.query(
            """
            SELECT sku, field, old_value, new_value, changed_at FROM catalog_changes
            WHERE sku = \(sku) ORDER BY id DESC LIMIT \(limit)
            """
        ).map { row in
            CatalogChange(
                sku: try row.requireString("sku"), field: try row.requireString("field"),
                oldValue: row.double("old_value"), newValue: row.double("new_value"),
                changedAt: Date(milliseconds: try row.requireInt("changed_at")))
        }
    }
}
