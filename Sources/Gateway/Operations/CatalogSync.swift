import Foundation
import Logging
import ServiceLifecycle
import Storage
import Webshop
import HTTPCall

/// Keeps the catalog current: searches answer from the stored catalog at once, then the configured feed is
/// imported at start and on every interval, and the index is rebuilt after each import. Of several
/// gateways on one database one imports each time (whoever holds the `catalog-import` lease); every one
/// rebuilds its index when it sees that the stored catalog changed.
struct CatalogSync: Service {
    let catalog: Catalog
    let store: any Store
    let feed: String?
    let interval: Duration?
    /// Set once the catalog answers searches: the stored one loaded and the feed's first import tried.
    let ready: ManagedFlag
    let logger: Logger
    /// How often a gateway looks whether the stored catalog changed (another gateway imported it).
    var reloadPoll: Duration = .seconds(15)
    /// This gateway's name on the import lease.
    private let holder = UUID().uuidString
    private let loader: CatalogLoader

    /// The name of the lease whose holder imports the feed.
    static let importLease = "catalog-import"

    init(catalog: Catalog, store: any Store, feed: String?, interval: Duration?, ready: ManagedFlag, logger: Logger) {
        self.catalog = catalog
        self.store = store
        self.feed = feed
        self.interval = interval
        self.ready = ready
        self.logger = logger
        self.loader = CatalogLoader(catalog: catalog, store: store)
    }

    func run() async throws {
        do {
            if let count = try await loader.reloadIfChanged() { logger.info("catalog loaded", metadata: ["products": "\(count)"]) }
        } catch {
            logger.error("cannot load the stored catalog", metadata: ["error": "\(error)"])
        }
        if feed == nil { ready.set() }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                if let feed { group.addTask { await importContinuously(feed) } }
                group.addTask { await followStore() }
            }
        }
        // A service that returns ends the whole application: stay until the others shut down.
        try? await gracefulShutdown()
    }

    /// Imports the feed now and on every interval, when no other gateway holds the import lease.
    private func importContinuously(_ feed: String) async {
        while !Task.isCancelled {
            do {
                // The lease lasts the interval: the other gateways skip this round, and take the next one if this gateway is gone.
                if try await store.claimClusterLease(Self.importLease, holder: holder, lease: interval ?? .seconds(600), at: Date()) {
                    await importOnce(feed)
                } else {
                    logger.debug("another gateway imports the feed this time")
                }
            } catch {
                logger.error("cannot tell which gateway imports the feed; skipping this round", metadata: ["error": "\(error)"])
            }
            ready.set()
            guard let interval else { return }
            try? await Task.sleep(for: interval)
        }
    }

    /// Rebuilds the index whenever the stored catalog changed (another gateway's import).
    private func followStore() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: reloadPoll)
            do {
                if let count = try await loader.reloadIfChanged() {
                    logger.info("catalog reloaded after another gateway's import", metadata: ["products": "\(count)"])
                }
            } catch {
                logger.error("cannot reload the stored catalog", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Imports the feed and rebuilds the index; a failed import is logged and the catalog stays as it was.
    func importOnce(_ feed: String) async {
        do {
            let result = try await CatalogImporter(store: store).importFeed(feed)
            let count = try await loader.reloadIfChanged() ?? catalog.current.products.count
            logger.info(
                "catalog imported",
                metadata: [
                    "feed": "\(feed.redactedURL)", "products": "\(count)", "added": "\(result.summary.added)",
                    "updated": "\(result.summary.updated)", "removed": "\(result.summary.removed)",
                    "changes": "\(result.summary.changes)",
                    "seconds": "\(String(format: "%.2f", result.duration / .seconds(1)))",
                ])
        } catch {
            logger.error("catalog import failed; the previous catalog stays", metadata: ["error": "\(error)"])
        }
    }
}

/// Rebuilds a catalog's index from the store when the store's catalog changed since the last rebuild, one
/// rebuild at a time.
actor CatalogLoader {
    private let catalog: Catalog
    private let store: any Store
    /// The import the index was last built from (`nil`: none yet); `loaded` is false before the first build.
    private var importID: Int64?
    private var loaded = false

    init(catalog: Catalog, store: any Store) {
        self.catalog = catalog
        self.store = store
    }

    /// Rebuilds the index if the stored catalog changed; returns its product count then, nil when unchanged.
    func reloadIfChanged() async throws -> Int? {
        let latest = try await store.latestCatalogImport()
        guard !loaded || latest != importID else { return nil }
        // Marked before the rebuild, so a call arriving meanwhile does not rebuild the same again.
        let (previous, wasLoaded) = (importID, loaded)
        (importID, loaded) = (latest, true)
        do {
            return try await catalog.reload(from: store)
        } catch {
            (importID, loaded) = (previous, wasLoaded)
            throw error
        }
    }
}
