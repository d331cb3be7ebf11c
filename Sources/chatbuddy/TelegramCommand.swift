import ArgumentParser
import AsyncHTTPClient
import Channels
import Foundation

/// `chatbuddy telegram`: the Telegram bot's setup.
struct TelegramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "telegram", abstract: "Set up the Telegram bot.", subcommands: [SetWebhook.self])

    /// `chatbuddy telegram set-webhook`: tells Telegram where to send the bot's updates.
    struct SetWebhook: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-webhook",
            abstract: "Register PUBLIC_BASE_URL/webhooks/telegram with Telegram, with TELEGRAM_WEBHOOK_SECRET.",
            discussion: """
                Calls the Bot API's setWebhook with the gateway's address, the secret Telegram is to send in \
                every update, and the update kinds the gateway reads. Exits 0 when Telegram took it, 1 when it \
                refused or could not be reached, 2 when Telegram is not configured.
                """)

        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try ConfigCommand.load(options)
            guard let telegram = config.channels[.telegram] as? TelegramModule else {
                FileHandle.standardError.write(Data("\(options.config): channels.telegram: set TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET\n".utf8))
                throw ExitCode(2)
            }
            let registration = TelegramWebhookRegistration(apiBaseURL: telegram.apiBaseURL, botToken: telegram.botToken)
            let client = HTTPClient(eventLoopGroupProvider: .singleton)
            let result: TelegramWebhookRegistration.Result
            do {
                result = try await registration.register(url: telegram.webhookURL, secret: telegram.webhookSecret, client: client)
                try await client.shutdown()
            } catch {
                try? await client.shutdown()
                FileHandle.standardError.write(Data("Telegram could not be reached: \(String(describing: type(of: error)))\n".utf8))
                throw ExitCode(1)
            }
            guard result.ok else {
                FileHandle.standardError.write(Data("Telegram refused the webhook: \(result.description)\n".utf8))
                throw ExitCode(1)
            }
            print("webhook set: \(telegram.webhookURL) (\(result.description))")
        }
    }
}
