import Channels
import Logging

/// The deployment's settings, read from `webhooks.yml`.
public struct GatewayConfig: Sendable {
    public var server = Server()
    public var storage = Storage()
    public var admin = Admin()
    public var agent = Agent()
    public var delivery = Delivery()
    /// Messenger's settings; nil when its secrets are unset and the channel is disabled.
    public var messenger: Messenger?

    public init() {}

    /// Listen address and request handling.
    public struct Server: Sendable {
        public var host = "0.0.0.0"
        public var port = 8080
        public var publicBaseURL = "http://localhost:8080"
        public var logLevel = Logger.Level.info
        public init() {}
    }

    /// Where conversations are kept.
    public struct Storage: Sendable {
        /// `sqlite:PATH` or `postgres://…`.
        public var url = "sqlite:data/chatbuddy.sqlite"
        public init() {}
    }

    /// The admin API.
    public struct Admin: Sendable {
        /// Bearer key for `/api/v1/admin`; the API is closed when nil.
        public var apiKey: String?
        public init() {}
    }

    /// The built-in agent and the conversation runner.
    public struct Agent: Sendable {
        /// Folder holding `hu/` and `en/` Mustache reply texts.
        public var templatesDirectory = "templates"
        /// Earlier messages given to the agent.
        public var historyLimit = 20
        /// Conversations handled at the same time.
        public var concurrency = 64
        public init() {}
    }

    /// Sending the outbox.
    public struct Delivery: Sendable {
        /// Attempts before a message is dead-lettered.
        public var maxAttempts = 8
        public var initialBackoff = Duration.milliseconds(500)
        public var maxBackoff = Duration.seconds(300)
        public var requestTimeout = Duration.seconds(10)
        /// Messages sent at the same time (each from a different conversation).
        public var concurrency = 16
        public init() {}
    }

    /// The Messenger channel (all three secrets set).
    public struct Messenger: Sendable {
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
    }
}
