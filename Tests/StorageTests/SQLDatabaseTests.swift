import Foundation
import Storage
import TestSupport
import Testing

@Suite("SQL engines")
struct SQLDatabaseTests {
    struct Boom: Error {}

    func withDatabase(_ engine: TestDatabase, _ body: (any SQLDatabase) async throws -> Void) async throws {
        let url = try await engine.makeURL()
        let database: any SQLDatabase = url.hasPrefix("sqlite:")
            ? try SQLiteDatabaseEngine(path: String(url.dropFirst("sqlite:".count)))
            : try PostgresDatabaseEngine(url: url, logger: TestDatabase.logger)
        let pool = Task { await database.run() }
        defer { pool.cancel() }
        try await body(database)
        try await database.close()
    }

    @Test("concurrent transactions commit together, and a failing one rolls back alone", arguments: TestDatabase.engines)
    func concurrentTransactions(engine: TestDatabase) async throws {
        try await withDatabase(engine) { database in
            try await database.query("CREATE TABLE items (name TEXT PRIMARY KEY, n INTEGER NOT NULL)")
            let results = await withTaskGroup(of: (Int, Bool).self) { group in
                for index in 0..<40 {
                    group.addTask {
                        do {
                            try await database.transaction { db in
                                try await db.query("INSERT INTO items (name, n) VALUES (\("item-\(index)"), \(index))")
                                try await db.query("UPDATE items SET n = n + 1000 WHERE name = \("item-\(index)")")
                                if index % 10 == 7 { throw Boom() }
                            }
                            return (index, true)
                        } catch {
                            return (index, false)
                        }
                    }
                }
                var results: [Int: Bool] = [:]
                for await (index, ok) in group { results[index] = ok }
                return results
            }
            #expect(results.filter { !$0.value }.keys.sorted() == [7, 17, 27, 37])
            let rows = try await database.query("SELECT name, n FROM items ORDER BY n")
            #expect(rows.count == 36)
            #expect(rows.allSatisfy { ($0.int("n") ?? 0) >= 1000 })
            #expect(!rows.contains { $0.string("name") == "item-17" })
        }
    }

    @Test("values are bound, never spliced", arguments: TestDatabase.engines)
    func binding(engine: TestDatabase) async throws {
        try await withDatabase(engine) { database in
            try await database.query("CREATE TABLE notes (body TEXT)")
            let hostile = "x'); DROP TABLE notes; --"
            try await database.query("INSERT INTO notes (body) VALUES (\(hostile))")
            let rows = try await database.query("SELECT body FROM notes WHERE body = \(hostile)")
            #expect(rows.map { $0.string("body") } == [hostile])
        }
    }
}
