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
        let config = try ConfigCommand.load(options.config)
        let logger = ConfigCommand.bootstrapLogging(level: config.server.logLevel)
        do {
            let store = try await SQLStore.open(url: config.storage.url, logger: logger)
            let background = Task { await store.run() }
            defer { background.cancel() }
            let applied = try await store.migrate()
            try await store.close()
            print(applied.isEmpty ? "database is up to date" : "applied migrations \(applied.map(String.init).joined(separator: ", "))")
        } catch {
            logger.critical("migration failed", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}
