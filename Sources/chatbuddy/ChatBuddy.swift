import ArgumentParser

/// The `chatbuddy` command: the gateway server and its maintenance commands.
@main
struct ChatBuddy: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatbuddy",
        abstract: "ChatBuddy: a webhook gateway that lets a webshop chat with its customers on Messenger, WhatsApp, SMS, email, Telegram and its own website.",
        version: ChatBuddyVersion.current,
        subcommands: [
            Serve.self, Migrate.self, ImportFeed.self, CheckConfig.self, OperatorCommand.self, TelegramCommand.self, Backup.self, Restore.self,
        ],
        defaultSubcommand: Serve.self)
}

/// The options every command shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "Path of the deployment configuration (environment variables are substituted).")
    var config = "webhooks.yml"

    @Flag(name: .long, help: "Use the demo content in demo/ next to the configuration (also CHATBUDDY_DEMO=1).")
    var demo = false
}
