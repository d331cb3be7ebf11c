import ChatModel
import ConfigFile
import Foundation

/// Telegram through the Bot API (`channels.telegram`): enabled when the bot token and the webhook secret
/// are set.
public struct TelegramModule: ChannelModule {
    public static let channel = Channel.telegram

    /// The bot's token from @BotFather (`<bot id>:<secret>`).
    public var botToken: String
    /// The secret `setWebhook` gives Telegram, which it sends back in every update.
    public var webhookSecret: String
    public var apiBaseURL = "https://api.telegram.org"
    public var maxBodyBytes = 1 << 20
    /// Calls a second to the Bot API (Telegram allows about 30 for a bot).
    public var messagesPerSecond = 30
    public var profile = ChannelProfile.telegram
    /// The server's external address: the webhook's and relative links' base.
    public var publicBaseURL = ""

    public init(botToken: String, webhookSecret: String) {
        self.botToken = botToken
        self.webhookSecret = webhookSecret
    }

    /// The bot's id, the part of the token before the colon: the account of its conversations.
    public var botID: String { String(botToken.prefix { $0 != ":" }) }

    /// Where Telegram is to send updates.
    public var webhookURL: String { publicBaseURL + "/webhooks/telegram" }

    public static func read(_ section: ConfigSection, context: ChannelConfigContext) throws(ConfigError) -> TelegramModule? {
        try section.allowOnly(["bot_token", "webhook_secret", "api_base_url", "max_body_bytes", "messages_per_second", "profile"])
        let token = try section.string("bot_token") ?? ""
        let secret = try section.string("webhook_secret") ?? ""
        if token.isEmpty && secret.isEmpty { return nil }
        guard token.wholeMatch(of: /[0-9]+:[A-Za-z0-9_-]+/) != nil else {
            throw section.error("bot_token", "expected the token @BotFather gave, like 123456:ABC-DEF (TELEGRAM_BOT_TOKEN)")
        }
        guard (1...256).contains(secret.count), secret.wholeMatch(of: /[A-Za-z0-9_-]+/) != nil else {
            throw section.error("webhook_secret", "1 to 256 characters of A-Z, a-z, 0-9, _ and - are required (TELEGRAM_WEBHOOK_SECRET)")
        }
        var telegram = TelegramModule(botToken: token, webhookSecret: secret)
        telegram.publicBaseURL = context.publicBaseURL
        telegram.apiBaseURL = try section.httpURL("api_base_url", default: telegram.apiBaseURL)
        telegram.maxBodyBytes = try section.int("max_body_bytes", default: 1 << 20, in: 1024...(64 << 20))
        telegram.messagesPerSecond = try section.int("messages_per_second", default: 30, in: 1...1000)
        if let profile = try section.string("profile"), !profile.isEmpty {
            telegram.profile = try ChannelProfile.read(section.readFile(profile))
        }
        return telegram
    }

    public func makeParts(_ environment: ChannelEnvironment) -> ChannelParts {
        ChannelParts(
            intake: TelegramWebhookIntake(secret: webhookSecret, webhook: TelegramWebhook(botID: botID), maxBodyBytes: maxBodyBytes),
            renderer: TelegramRenderer(profile: profile, publicBaseURL: publicBaseURL.isEmpty ? environment.publicBaseURL : publicBaseURL),
            sender: TelegramSender(
                client: environment.httpClient, apiBaseURL: apiBaseURL, botToken: botToken, timeout: environment.requestTimeout,
                messagesPerSecond: messagesPerSecond),
            policy: environment.policy(windowHours: profile.serviceWindowHours), inboundStep: TelegramInboundStep())
    }
}

extension ChannelProfile {
    /// The Bot API's limits (docs/channels.md §6.3): 4,096 characters of text, inline keyboards, no
    /// service window, no templates; `channels/telegram.yml` ships the same numbers.
    public static let telegram = ChannelProfile(
        maxTextLength: 4096,
        maxQuickReplies: 10,
        maxQuickReplyTitleLength: 64,
        maxQuickReplyPayloadLength: 64,
        maxCards: 10,
        maxCardTitleLength: 256,
        maxCardSubtitleLength: 512,
        maxButtonsPerCard: 3,
        maxButtonTitleLength: 64,
        maxButtonTemplateTextLength: 1024,
        supportsTemplates: false,
        serviceWindowHours: 0
    )
}
