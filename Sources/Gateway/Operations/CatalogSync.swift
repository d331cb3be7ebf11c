import Foundation
import Logging
import ServiceLifecycle
import Storage
import Webshop
import HTTPCall

/// Keeps the catalog current: searches answer from the stored catalog at once, then the configured feed is
/// imported at start and on every interval, and the index is rebuilt after each import.
struct CatalogSync: Service {
    let catalog: Catalog
    let store: any Store
    let feed: String?
    let interval: Duration?
    /// Set once the catalog answers searches: the stored one loaded and the feed's first import tried.
    let ready: ManagedFlag
    let logger: Logger

    func run() async throws {
        do {
            let count = try await catalog.reload(from: store)
            logger.info("catalog loaded", metadata: ["products": "\(count)"])
        } catch {
            logger.error("cannot load the stored catalog", metadata: ["error": "\(error)"])
        }
        if feed == nil { ready.set() }
        if let feed {
            await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    await importOnce(feed)
                    ready.set()
                    guard let interval else { return }
                    try? await Task.sleep(for: interval)
                }
            }
        }
        // A service that returns ends the whole application: stay until the others shut down.
        try? await gracefulShutdown()
    }

    /// Imports the feed and rebuilds the index; a failed import is logged and the catalog stays as it was.
    func importOnce(_ feed: String) async {
        do {
            let result = try await CatalogImporter(store: store).importFeed(feed)
            let count = try await catalog.reload(from: store)
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
