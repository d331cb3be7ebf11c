import ArgumentParser
import Gateway

/// `chatbuddy check-config`: validates the configuration and the files it names.
struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration.",
        discussion: "Exits 0 when valid; otherwise prints file:line: key: reason and exits 2.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try ConfigCommand.load(options.config)
        try await ConfigCommand.checkAgentFiles(config)
        let enabled = [config.messenger.map { _ in "messenger" }, config.whatsapp.map { _ in "whatsapp" }].compactMap { $0 }
        let channels = enabled.isEmpty ? "none" : enabled.joined(separator: ", ")
        print("\(options.config): OK (storage: \(config.storage.url.hasPrefix("sqlite:") ? "sqlite" : "postgres"), channels: \(channels), admin API: \(config.admin.apiKey == nil ? "closed" : "open"))")
    }
}
