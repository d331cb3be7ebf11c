import ArgumentParser
import Foundation
import Gateway
import Webshop

/// `chatbuddy import-feed`: loads a UNAS XML product feed into the store.
struct ImportFeed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-feed",
        abstract: "Load a UNAS XML product feed (a file or an http(s) URL) into the store.",
        discussion: """
            The feed is read as a stream and applied in one transaction: products are added or updated, \
            State=deleted removes them, and price and stock changes are recorded. A malformed feed stops \
            the import with file:line:column: reason and exit 1, leaving the previous catalog as it was. \
            With --replace the feed is the whole catalog: products it does not list are removed. \
            A terminal shows a progress bar; otherwise one summary line is printed.
            """)

    @Argument(help: "The feed: a file path or an http(s) URL.")
    var feed: String

    @Flag(help: "Treat the feed as the whole catalog: remove the products it does not list.")
    var replace = false

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try ConfigCommand.load(options)
        let logger = ConfigCommand.bootstrapLogging(level: config.server.logLevel)
        let display = ImportProgressDisplay(totalBytes: Self.fileSize(feed))
        do {
            let result = try await Gateway.withStore(url: config.storage.url, logger: logger) { store in
                try await CatalogImporter(store: store).importFeed(feed, replace: replace) { display.update($0) }
            }
            display.finish()
            print(ImportProgressDisplay.summary(result))
        } catch let error as UNASFeedError {
            display.finish()
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(1)
        } catch {
            display.finish()
            FileHandle.standardError.write(Data("import failed: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private static func fileSize(_ location: String) -> Int? {
        guard !location.hasPrefix("http://"), !location.hasPrefix("https://") else { return nil }
        return (try? FileManager.default.attributesOfItem(atPath: location)[.size] as? Int) ?? nil
    }
}
