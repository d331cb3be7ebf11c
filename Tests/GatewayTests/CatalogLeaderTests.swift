import Foundation
import Logging
import ServiceLifecycle
import Storage
import TestSupport
import Testing
import Webshop

@testable import Gateway

/// Gateways on one database import the feed once between them, and every one rebuilds its index.
@Suite("The feed imported once across gateways")
struct CatalogLeaderTests {
    static let feed = GatewayHarness.packageRoot.appendingPathComponent("demo/catalog/sample-unas.xml").path

    @Test("two gateways starting together: one imports, both answer from the imported catalog", arguments: TestDatabase.engines)
    func oneImport(engine: TestDatabase) async throws {
        let url = try await engine.makeURL()
        let logger = Logger(label: "catalog-leader")
        let stores = [try await SQLStore.open(url: url, logger: logger), try await SQLStore.open(url: url, logger: logger)]
        let pools = stores.map { store in Task { await store.run() } }
        defer { pools.forEach { $0.cancel() } }
        try await stores[0].migrate()
        let catalogs = [Catalog(), Catalog()]
        let flags = [ManagedFlag(), ManagedFlag()]
        let services: [any Service] = (0..<2).map { number in
            var sync = CatalogSync(catalog: catalogs[number], store: stores[number], feed: Self.feed, interval: nil, ready: flags[number], logger: logger)
            sync.reloadPoll = .milliseconds(100)
            return sync
        }
        let group = ServiceGroup(services: services, logger: logger)
        let running = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline, catalogs.contains(where: { $0.current.products.isEmpty }) || flags.contains(where: { !$0.isSet }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let reader = try UNASFeedReader(path: Self.feed)
        var sampleCount = 0
        while let entry = try reader.next() { if entry.product != nil { sampleCount += 1 } }
        #expect(catalogs.map { $0.current.products.count } == [sampleCount, sampleCount], "both indexes hold the imported catalog")
        let allReady = flags.allSatisfy { $0.isSet }
        #expect(allReady)
        #expect(try await stores[0].latestCatalogImport() == 1, "one import between the two")
        // The lease is the importer's: the other gateway cannot take it while it runs.
        #expect(try await stores[1].claimClusterLease(CatalogSync.importLease, holder: "a third gateway", lease: .seconds(1), at: Date()) == false)
        await group.triggerGracefulShutdown()
        try await running.value
        for store in stores { try await store.close() }
    }
}
