import ArgumentParser
import Gateway

/// `chatbuddy check-config`: validates the configuration and the files it names.
struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration.",
        discussion: "Exits 0 when valid, listing the enabled channels and warning about go-live mistakes; otherwise prints file:line: key: reason and exits 2.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let config = try ConfigCommand.load(options)
        try await ConfigCommand.checkAgentFiles(config)
        let enabled = GoLiveCheck.channels(config)
        let channels = enabled.isEmpty ? "none" : enabled.joined(separator: ", ")
        print("\(options.config): OK (storage: \(config.storage.url.hasPrefix("sqlite:") ? "sqlite" : "postgres"), channels: \(channels), admin API: \(config.admin.apiKey == nil ? "closed" : "open"))")
        for warning in GoLiveCheck.warnings(config) { print("warning: \(warning)") }
    }
}
