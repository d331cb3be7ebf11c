import ChatModel
import ConfigFile
import Foundation

/// Facebook Messenger through a Page (`channels.messenger`): enabled when its three secrets are set.
public struct MessengerModule: ChannelModule {
    /// The tag of an order's update (shipping, delivery) sent after the 24-hour window; never for marketing.
    public static let postPurchaseUpdateTag = "POST_PURCHASE_UPDATE"

    public static let channel = Channel.messenger

    public var verifyToken: String
    public var appSecret: String
    public var pageAccessToken: String
    public var graphBaseURL = "https://graph.facebook.com/v25.0"
    public var maxBodyBytes = 1 << 20
    public var profile = ChannelProfile.messenger

    public init(verifyToken: String, appSecret: String, pageAccessToken: String) {
        self.verifyToken = verifyToken
        self.appSecret = appSecret
        self.pageAccessToken = pageAccessToken
    }

    public static func read(_ section: ConfigSection, context: ChannelConfigContext) throws(ConfigError) -> MessengerModule? {
        try section.allowOnly(["verify_token", "app_secret", "page_access_token", "graph_base_url", "max_body_bytes", "profile"])
        let secrets = ["verify_token", "app_secret", "page_access_token"]
        var values: [String: String] = [:]
        for key in secrets { values[key] = try section.string(key) ?? "" }
        if values.values.allSatisfy(\.isEmpty) { return nil }
        for key in secrets where values[key, default: ""].isEmpty {
            throw section.error(key, "required when the other Messenger secrets are set (or unset all three to disable Messenger)")
        }
        var messenger = MessengerModule(
            verifyToken: values["verify_token"]!, appSecret: values["app_secret"]!, pageAccessToken: values["page_access_token"]!)
        messenger.graphBaseURL = try section.httpURL("graph_base_url", default: messenger.graphBaseURL)
        messenger.maxBodyBytes = try section.int("max_body_bytes", default: 1 << 20, in: 1024...(64 << 20))
        if let profile = try section.string("profile") {
            messenger.profile = try ChannelProfile.read(section.readFile(profile))
        }
        return messenger
    }

    public func makeParts(_ environment: ChannelEnvironment) -> ChannelParts {
        ChannelParts(
            intake: MetaWebhookIntake(
                verifyToken: verifyToken, appSecret: appSecret, maxBodyBytes: maxBodyBytes,
                parse: { body throws(MalformedWebhookBody) in try MessengerWebhook().parse(Data(body)) }),
            renderer: MessengerRenderer(profile: profile),
            sender: MessengerSender(
                client: environment.httpClient, graphBaseURL: graphBaseURL, pageAccessToken: pageAccessToken,
                timeout: environment.requestTimeout),
            policy: policy(environment))
    }

    /// The 24-hour window, and 7 days for a person's reply tagged `HUMAN_AGENT` (docs/channels.md §1.5).
    private func policy(_ environment: ChannelEnvironment) -> DeliveryPolicy {
        var policy = environment.policy(windowHours: profile.serviceWindowHours)
        policy.humanAgentWindow = .seconds(7 * 24 * 3600)
        policy.updateTags = [Self.postPurchaseUpdateTag]
        return policy
    }
}
