import ArgumentParser
import Gateway
import Logging

/// `chatbuddy serve`: runs the gateway until SIGTERM or SIGINT, then drains and exits 0.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the gateway server.",
        discussion: """
            Loads the configuration, migrates the database, then serves the webhooks, the admin API and \
            the operational routes. With no environment set it uses SQLite at data/chatbuddy.sqlite and \
            the built-in agent graph. SIGTERM stops taking new work, finishes what is in flight and exits 0. \
            An invalid configuration exits 2 with file:line: key: reason.
            """)

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try ConfigCommand.load(options)
        try await ConfigCommand.checkAgentFiles(config)
        let logger = ConfigCommand.bootstrapLogging(level: config.server.logLevel)
        do {
            try await Gateway.serve(config: config, logger: logger)
        } catch {
            logger.critical("gateway stopped on an error", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}
