import Foundation
import Synchronization
import Webshop

/// The import's progress on a terminal: one redrawn line with bytes and products per second and the time left.
final class ImportProgressDisplay: Sendable {
    private let totalBytes: Int?
    private let started = ContinuousClock.now
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let drawn = Mutex(false)

    init(totalBytes: Int?) {
        self.totalBytes = totalBytes
    }

    func update(_ position: UNASFeedReader.Position) {
        guard isTerminal else { return }
        let seconds = max((ContinuousClock.now - started) / .seconds(1), 0.001)
        let megabytes = Double(position.bytes) / 1_048_576
        var line = String(format: "%8.1f MB  %9d products  %6.1f MB/s  %8.0f products/s", megabytes, position.products,
                          megabytes / seconds, Double(position.products) / seconds)
        if let totalBytes, totalBytes > 0 {
            let fraction = min(1, Double(position.bytes) / Double(totalBytes))
            let width = 24
            let filled = Int(fraction * Double(width))
            let left = fraction > 0 ? seconds * (1 - fraction) / fraction : 0
            line = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
                + String(format: "%3.0f%% ", fraction * 100) + line + String(format: "  ETA %4.0f s", left)
        }
        FileHandle.standardError.write(Data("\r\(line)".utf8))
        drawn.withLock { $0 = true }
    }

    /// Ends the redrawn line, if one was drawn.
    func finish() {
        guard drawn.withLock({ $0 }) else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }

    /// The one-line summary of an import.
    static func summary(_ result: CatalogImporter.Result) -> String {
        let seconds = max(result.duration / .seconds(1), 0.001)
        let summary = result.summary
        return "imported \(result.source): " + String(
            format: "%d products (%d added, %d updated, %d unchanged, %d removed, %d skipped without sku), "
                + "%d price/stock changes, %.1f MB in %.2f s (%.0f products/s)",
            result.products, summary.added, summary.updated, summary.unchanged, summary.removed,
            result.skipped, summary.changes, Double(result.bytes) / 1_048_576, seconds, Double(result.products) / seconds)
    }
}
