/// How SMS replies are written and sent (`channels/sms.yml` and the `channels.sms` config).
public struct SMSSettings: Sendable, Hashable {
    /// Our sending number (`TWILIO_FROM_NUMBER`), used when a reply has no number of ours to come from.
    public var fromNumber = ""
    /// A Twilio Messaging Service that picks the sender instead of `fromNumber`.
    public var messagingServiceSID: String?
    /// Where Twilio reports delivery (`PUBLIC_BASE_URL` + `/webhooks/sms/status`).
    public var statusCallback = ""
    /// Segments one reply may take; the text is shortened on a word to fit.
    public var segmentBudget = 3
    /// Characters of one message at most (Twilio refuses longer bodies).
    public var maxCharacters = 1600
    /// Numbered choices shown at most.
    public var maxChoices = 9
    /// A choice's title is cut to this many characters.
    public var maxChoiceTitle = 40
    /// Links in replies become `{publicBaseURL}/l/{code}`, the gateway's own redirect.
    public var shortenLinks = false
    /// The gateway's external address: prefix of relative product links and of short links.
    public var publicBaseURL = ""

    /// Where the gateway serves short links.
    public static let linkPath = "/l"

    /// The base of short links, when links are shortened.
    var linkBase: String? { shortenLinks ? publicBaseURL.trimmingSuffix("/") + Self.linkPath : nil }
    public var keywords = SMSKeywords()

    public init() {}
}
