import Foundation
import Logging
import Storage
import TestSupport
import Testing

/// Gateways starting together migrate one database without getting in each other's way.
@Suite("Migrations from several gateways at once")
struct ConcurrentMigrationTests {
    @Test("three stores migrating a fresh database at once: each migration applied once, none fails", arguments: TestDatabase.engines)
    func together(engine: TestDatabase) async throws {
        let url = try await engine.makeURL()
        let stores = try await (0..<3).asyncMap { _ in try await SQLStore.open(url: url, logger: Logger(label: "migrations")) }
        let pools = stores.map { store in Task { await store.run() } }
        defer { pools.forEach { $0.cancel() } }
        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for store in stores { group.addTask { try await store.migrate() } }
            return try await group.reduce(into: [Int]()) { $0 += $1 }
        }
        #expect(!applied.isEmpty)
        #expect(applied.sorted() == Array((1...).prefix(applied.count)), "every version once, by one of them")
        #expect(try await stores[0].migrate().isEmpty)
        for store in stores { try await store.close() }
    }
}
