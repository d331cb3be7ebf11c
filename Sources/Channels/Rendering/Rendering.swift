import ChatModel

/// One platform request body produced by a renderer.
public struct RenderedMessage: Sendable, Hashable {
    /// The form chosen (`text`, `generic_template`, `button_template`, `image`, …).
    public var kind: String
    /// The words it shows, for history and the admin API.
    public var text: String?
    /// The exact JSON request body.
    public var payload: String

    public init(kind: String, text: String?, payload: String) {
        self.kind = kind
        self.text = text
        self.payload = payload
    }
}

/// The messages rendered for some replies, and every degradation applied to fit the channel.
public struct Rendering: Sendable, Hashable {
    public var messages: [RenderedMessage] = []
    /// Human-readable notes such as "12 cards shown as 10"; logged once per reply.
    public var degradations: [String] = []
    /// The options shown as a numbered list, in order, on channels where the customer answers with a number;
    /// nil where choices are tapped instead.
    public var choices: [QuickReply]?
    /// Short link codes used in the messages and the links they stand for.
    public var links: [String: String] = [:]
    /// Button payloads too long for the platform, by the reference sent instead; the channel keeps them.
    public var payloads: [String: String] = [:]

    public init(messages: [RenderedMessage] = [], degradations: [String] = []) {
        self.messages = messages
        self.degradations = degradations
    }
}

/// Turns channel-neutral replies into one channel's request bodies.
public protocol ReplyRenderer: Sendable {
    func render(_ response: AgentResponse, context: ReplyContext) -> Rendering
    /// The longest text one message may have on the channel, when it has a limit.
    var textLimit: Int? { get }
    /// Whether an operator's message answers the customer's latest one, in its thread and under its
    /// subject (e-mail), rather than standing alone.
    var threadsOperatorMessages: Bool { get }
}

extension ReplyRenderer {
    public var textLimit: Int? { nil }
    public var threadsOperatorMessages: Bool { false }
}
