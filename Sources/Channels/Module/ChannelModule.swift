import AsyncHTTPClient
import ChatModel
import ConfigFile
import NIOCore

/// One platform channel, bundled: it reads its own section of the configuration (`channels.<name>`)
/// and builds its parts: the webhook intake, the renderer, the sender and the delivery policy. The
/// gateway builds its routes and workers from `ChannelRegistry.modules` and has no code of its own
/// for any of them (docs/architecture.md §1.1).
public protocol ChannelModule: Sendable {
    /// The channel's name in routes, storage and metrics.
    static var channel: ChatModel.Channel { get }
    /// Reads `channels.<name>`; nil when its settings are all unset and the channel is disabled.
    static func read(_ section: ConfigSection, context: ChannelConfigContext) throws(ConfigError) -> Self?
    /// The parts that serve the channel.
    func makeParts(_ environment: ChannelEnvironment) -> ChannelParts
}

/// What a channel's configuration may depend on beyond its own section.
public struct ChannelConfigContext: Sendable {
    /// The server's external address (webhook and link URLs are built on it).
    public var publicBaseURL: String

    public init(publicBaseURL: String) {
        self.publicBaseURL = publicBaseURL
    }
}

/// What a channel's parts are built with.
public struct ChannelEnvironment: Sendable {
    /// The shared client for the platform's API.
    public var httpClient: HTTPClient
    /// The deadline of one outbound call, headers and body.
    public var requestTimeout: TimeAmount
    public var publicBaseURL: String
    /// Attempts a reply gets before it is dead-lettered, and the wait between them.
    public var maxAttempts: Int
    public var backoff: Backoff

    public init(httpClient: HTTPClient, requestTimeout: TimeAmount, publicBaseURL: String, maxAttempts: Int, backoff: Backoff) {
        self.httpClient = httpClient
        self.requestTimeout = requestTimeout
        self.publicBaseURL = publicBaseURL
        self.maxAttempts = maxAttempts
        self.backoff = backoff
    }

    /// A policy with this environment's attempts and backoff, and the channel's service window in hours (0: none).
    public func policy(windowHours hours: Int = 0) -> DeliveryPolicy {
        DeliveryPolicy(serviceWindow: hours > 0 ? .seconds(hours * 3600) : nil, maxAttempts: maxAttempts, backoff: backoff)
    }
}

/// The parts that serve one channel.
public struct ChannelParts: Sendable {
    /// The webhook; nil for a channel whose customers reach the gateway directly (the website widget).
    public var intake: (any WebhookIntake)?
    public var renderer: any ReplyRenderer
    public var sender: any ChannelSender
    public var policy: DeliveryPolicy
    /// What the channel does with an event before the agents; nil hands every event to them as it is.
    public var inboundStep: (any InboundStep)?
    /// Endpoints the channel serves besides its webhook.
    public var endpoints: [ChannelEndpoint]

    public init(
        intake: (any WebhookIntake)?, renderer: any ReplyRenderer, sender: any ChannelSender, policy: DeliveryPolicy,
        inboundStep: (any InboundStep)? = nil, endpoints: [ChannelEndpoint] = []
    ) {
        self.intake = intake
        self.renderer = renderer
        self.sender = sender
        self.policy = policy
        self.inboundStep = inboundStep
        self.endpoints = endpoints
    }
}
