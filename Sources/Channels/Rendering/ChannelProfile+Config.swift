import ConfigFile

extension ChannelProfile {
    /// Reads a channel capability profile (`channels/<name>.yml`).
    public static func read(_ root: ConfigSection) throws(ConfigError) -> ChannelProfile {
        try root.allowOnly(["text", "quick_replies", "cards", "button_template", "templates", "service_window_hours"])
        let text = try root.section("text")
        try text.allowOnly(["max_characters"])
        let quickReplies = try root.section("quick_replies")
        try quickReplies.allowOnly(["max_count", "max_title_characters", "max_payload_characters"])
        let cards = try root.section("cards")
        try cards.allowOnly(["max_count", "max_title_characters", "max_subtitle_characters", "max_buttons", "max_button_title_characters"])
        let buttonTemplate = try root.section("button_template")
        try buttonTemplate.allowOnly(["max_text_characters"])
        return ChannelProfile(
            maxTextLength: try text.int("max_characters", default: 2000, in: 1...100_000),
            maxQuickReplies: try quickReplies.int("max_count", default: 13, in: 0...100),
            maxQuickReplyTitleLength: try quickReplies.int("max_title_characters", default: 20, in: 1...1000),
            maxQuickReplyPayloadLength: try quickReplies.int("max_payload_characters", default: 1000, in: 1...100_000),
            maxCards: try cards.int("max_count", default: 10, in: 0...100),
            maxCardTitleLength: try cards.int("max_title_characters", default: 80, in: 1...1000),
            maxCardSubtitleLength: try cards.int("max_subtitle_characters", default: 80, in: 1...1000),
            maxButtonsPerCard: try cards.int("max_buttons", default: 3, in: 0...10),
            maxButtonTitleLength: try cards.int("max_button_title_characters", default: 20, in: 1...1000),
            maxButtonTemplateTextLength: try buttonTemplate.int("max_text_characters", default: 640, in: 1...100_000),
            supportsTemplates: try root.bool("templates", default: false),
            serviceWindowHours: try root.int("service_window_hours", default: 24, in: 0...10_000))
    }
}
