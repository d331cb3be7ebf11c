/// What a channel can show, read from `channels/<name>.yml`; the renderer degrades to fit it.
public struct ChannelProfile: Sendable, Hashable {
    /// Longest text of one message, counted in UTF-16 code units (the strictest count platforms use).
    public var maxTextLength: Int
    public var maxQuickReplies: Int
    public var maxQuickReplyTitleLength: Int
    public var maxQuickReplyPayloadLength: Int
    public var maxCards: Int
    public var maxCardTitleLength: Int
    public var maxCardSubtitleLength: Int
    public var maxButtonsPerCard: Int
    public var maxButtonTitleLength: Int
    public var maxButtonTemplateTextLength: Int
    /// Whether approved message templates can be sent.
    public var supportsTemplates: Bool
    /// Hours after the customer's last message in which free-form replies are allowed.
    public var serviceWindowHours: Int

    public init(
        maxTextLength: Int,
        maxQuickReplies: Int,
        maxQuickReplyTitleLength: Int,
        maxQuickReplyPayloadLength: Int,
        maxCards: Int,
        maxCardTitleLength: Int,
        maxCardSubtitleLength: Int,
        maxButtonsPerCard: Int,
        maxButtonTitleLength: Int,
        maxButtonTemplateTextLength: Int,
        supportsTemplates: Bool,
        serviceWindowHours: Int
    ) {
        self.maxTextLength = maxTextLength
        self.maxQuickReplies = maxQuickReplies
        self.maxQuickReplyTitleLength = maxQuickReplyTitleLength
        self.maxQuickReplyPayloadLength = maxQuickReplyPayloadLength
        self.maxCards = maxCards
        self.maxCardTitleLength = maxCardTitleLength
        self.maxCardSubtitleLength = maxCardSubtitleLength
        self.maxButtonsPerCard = maxButtonsPerCard
        self.maxButtonTitleLength = maxButtonTitleLength
        self.maxButtonTemplateTextLength = maxButtonTemplateTextLength
        self.supportsTemplates = supportsTemplates
        self.serviceWindowHours = serviceWindowHours
    }

    /// Messenger's documented limits (docs/channels.md §1.5); `channels/messenger.yml` ships the same numbers.
    public static let messenger = ChannelProfile(
        maxTextLength: 2000,
        maxQuickReplies: 13,
        maxQuickReplyTitleLength: 20,
        maxQuickReplyPayloadLength: 1000,
        maxCards: 10,
        maxCardTitleLength: 80,
        maxCardSubtitleLength: 80,
        maxButtonsPerCard: 3,
        maxButtonTitleLength: 20,
        maxButtonTemplateTextLength: 640,
        supportsTemplates: false,
        serviceWindowHours: 24
    )

    /// WhatsApp Cloud API's limits (docs/channels.md §2.5): 4096 characters of text, three reply buttons or a
    /// ten-row list, approved templates, a 24-hour service window.
    public static let whatsapp = ChannelProfile(
        maxTextLength: 4096,
        maxQuickReplies: 10,
        maxQuickReplyTitleLength: 24,
        maxQuickReplyPayloadLength: 200,
        maxCards: 10,
        maxCardTitleLength: 24,
        maxCardSubtitleLength: 72,
        maxButtonsPerCard: 1,
        maxButtonTitleLength: 20,
        maxButtonTemplateTextLength: 1024,
        supportsTemplates: true,
        serviceWindowHours: 24
    )
}
