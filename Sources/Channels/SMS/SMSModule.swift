import ChatModel
import ConfigFile
import Foundation

/// SMS through Twilio (`channels.sms`): enabled when the account, its token and a sender are set.
public struct SMSModule: ChannelModule {
    public static let channel = Channel.sms

    public var accountSID: String
    public var authToken: String
    public var apiBaseURL = "https://api.twilio.com"
    public var maxBodyBytes = 64 << 10
    /// How replies are written and sent, from `channels/sms.yml` and the sender settings.
    public var settings = SMSSettings()

    public init(accountSID: String, authToken: String) {
        self.accountSID = accountSID
        self.authToken = authToken
    }

    public static func read(_ section: ConfigSection, context: ChannelConfigContext) throws(ConfigError) -> SMSModule? {
        try section.allowOnly(["account_sid", "auth_token", "from_number", "messaging_service_sid", "api_base_url", "max_body_bytes", "profile"])
        let account = try section.string("account_sid") ?? ""
        let token = try section.string("auth_token") ?? ""
        let from = try section.string("from_number") ?? ""
        let service = try section.string("messaging_service_sid") ?? ""
        if account.isEmpty && token.isEmpty && from.isEmpty && service.isEmpty { return nil }
        guard !account.isEmpty else { throw section.error("account_sid", "required when the other SMS settings are set (or unset all to disable SMS)") }
        guard !token.isEmpty else { throw section.error("auth_token", "required when the other SMS settings are set (or unset all to disable SMS)") }
        guard !from.isEmpty || !service.isEmpty else {
            throw section.error("from_number", "a sending number (TWILIO_FROM_NUMBER) or messaging_service_sid is required")
        }
        var sms = SMSModule(accountSID: account, authToken: token)
        sms.apiBaseURL = try section.httpURL("api_base_url", default: sms.apiBaseURL)
        sms.maxBodyBytes = try section.int("max_body_bytes", default: 64 << 10, in: 1024...(1 << 20))
        if let profile = try section.string("profile"), !profile.isEmpty {
            sms.settings = try SMSSettings.read(section.readFile(profile))
        }
        sms.settings.fromNumber = from
        sms.settings.messagingServiceSID = service.isEmpty ? nil : service
        sms.settings.publicBaseURL = context.publicBaseURL
        sms.settings.statusCallback = context.publicBaseURL + "/webhooks/sms/status"
        return sms
    }

    public func makeParts(_ environment: ChannelEnvironment) -> ChannelParts {
        ChannelParts(
            intake: TwilioWebhookIntake(authToken: authToken, maxBodyBytes: maxBodyBytes),
            renderer: SMSRenderer(settings: settings),
            sender: TwilioSender(
                client: environment.httpClient, apiBaseURL: apiBaseURL, accountSID: accountSID, authToken: authToken,
                timeout: environment.requestTimeout),
            policy: environment.policy(), inboundStep: SMSInboundStep(keywords: settings.keywords))
    }
}

extension SMSSettings {
    /// Reads `channels/sms.yml`: length and segment budget, numbered choices, links, compliance keywords
    /// and their answers.
    public static func read(_ root: ConfigSection) throws(ConfigError) -> SMSSettings {
        try root.allowOnly(["text", "segments", "choices", "links", "keywords", "replies"])
        var settings = SMSSettings()
        let text = try root.section("text")
        try text.allowOnly(["max_characters"])
        settings.maxCharacters = try text.int("max_characters", default: 1600, in: 70...1600)
        let segments = try root.section("segments")
        try segments.allowOnly(["budget"])
        settings.segmentBudget = try segments.int("budget", default: 3, in: 1...24)
        let choices = try root.section("choices")
        try choices.allowOnly(["max_count", "max_title_characters"])
        settings.maxChoices = try choices.int("max_count", default: 9, in: 0...20)
        settings.maxChoiceTitle = try choices.int("max_title_characters", default: 40, in: 5...160)
        let links = try root.section("links")
        try links.allowOnly(["shorten"])
        settings.shortenLinks = try links.bool("shorten", default: false)
        let keywords = try root.section("keywords")
        try keywords.allowOnly(["opt_out", "opt_in", "help"])
        settings.keywords.optOut = Set((try keywords.strings("opt_out") ?? Array(settings.keywords.optOut)).map(SMSKeywords.fold))
        settings.keywords.optIn = Set((try keywords.strings("opt_in") ?? Array(settings.keywords.optIn)).map(SMSKeywords.fold))
        settings.keywords.help = Set((try keywords.strings("help") ?? Array(settings.keywords.help)).map(SMSKeywords.fold))
        let replies = try root.section("replies")
        try replies.allowOnly(["help", "opt_in"])
        for command in [SMSKeywords.Command.help, .optIn] {
            let byLanguage = try replies.section(command.rawValue)
            try byLanguage.allowOnly(Set(Language.allCases.map(\.rawValue)))
            for language in Language.allCases {
                if let answer = try byLanguage.string(language.rawValue), !answer.isEmpty {
                    settings.keywords.replies[command, default: [:]][language] = answer
                }
            }
        }
        return settings
    }
}
