import ArgumentParser
import Gateway
import Storage

/// `chatbuddy migrate`: applies pending database migrations and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations.",
        discussion: "Uses storage.url from the configuration (DATABASE_URL). serve also migrates on start.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try ConfigCommand.load(options)
        let logger = ConfigCommand.bootstrapLogging(level: config.server.logLevel)
        do {
            let applied = try await Gateway.withStore(url: config.storage.url, logger: logger) { store in
                try await store.migrate()
            }
            print(applied.isEmpty ? "database is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        } catch {
            logger.critical("migration failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}
