import Foundation
import Agents
import Channels
import ChatModel
import Logging
import Storage

/// The deployment's settings, read from `webhooks.yml`.
public struct GatewayConfig: Sendable {
    public var server = Server()
    public var storage = Storage()
    public var admin = Admin()
    public var agent = Agent()
    public var delivery = Delivery()
    public var inbound = Inbound()
    public var operators = Operators()
    public var webshop = Webshop()
    /// The website widget; nil when it is switched off.
    public var widget: Widget? = Widget()
    /// The enabled platform channels (`channels:`), each read by its module in `ChannelRegistry`.
    public var channels: [Channel: any ChannelModule] = [:]
    /// The demo content's folder (`--demo` or `CHATBUDDY_DEMO=1`): sample catalog, offers, knowledge and
    /// demo page; nil in production, where none of it is used.
    public private(set) var demoDirectory: String?

    public init() {}

    /// Turns the demo content in `directory` on: its offers and knowledge replace the templates' own, its
    /// `public/` folder is served at `/`, and its sample catalog is imported when no feed is configured.
    public mutating func enableDemo(directory: String) {
        demoDirectory = directory
        if webshop.feed == nil { webshop.feed = "\(directory)/\(GatewayConfig.demoCatalog)" }
    }

    /// The sample catalog inside the demo folder.
    public static let demoCatalog = "catalog/sample-unas.xml"

    /// Listen address and request handling.
    public struct Server: Sendable {
        public var host = "0.0.0.0"
        public var port = 8080
        /// The server's external address, without a trailing slash (Twilio signs requests over it).
        public var publicBaseURL = "http://localhost:8080"
        public var logLevel = Logger.Level.info
        /// CSP `frame-ancestors` of the HTML the server serves (who may frame the demo page).
        public var frameAncestors = ["'self'"]
        /// Reverse proxies (CIDRs) whose `X-Forwarded-For`/`Forwarded` headers name the client.
        public var trustedProxies: [String] = []
        /// Bearer token for `/metrics`; open when nil.
        public var metricsToken: String?
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
        /// Stores and acknowledges messages without answering them until a start without it (maintenance,
        /// ingest benchmarks).
        public var paused = false
        /// How long an operator may stay silent before a human-mode conversation goes back to the bot.
        public var humanIdle = Duration.seconds(1800)
        /// Below this classifier confidence (0 to 1) the coordinator asks what the customer means.
        public var clarifyBelow = 0.3
        /// How long a language model may take for one turn before the embedded answer is used.
        public var turnDeadline = Duration.seconds(10)
        /// Forints to one euro, for budgets in euros.
        public var forintsPerEuro = 400.0
        /// An OpenAI-compatible model that writes the answers; nil keeps the embedded agents.
        public var model: Model?
        /// A remote agent graph that answers instead of the built-in one; nil keeps the built-in one.
        public var remote: Remote?
        public init() {}
    }

    /// `LLM_BASE_URL`, `LLM_API_KEY`, `LLM_MODEL`.
    public struct Model: Sendable {
        public var baseURL: String
        public var apiKey: String
        public var name: String
        public var timeout = Duration.seconds(8)
    }

    /// `AGENT_GRAPH_URL`.
    public struct Remote: Sendable {
        public var url: String
        public var timeout = Duration.seconds(5)
    }

    /// The shop's catalog.
    public struct Webshop: Sendable {
        /// A UNAS product feed (file path or http(s) URL) imported at start and on every sync; nil keeps the stored catalog.
        public var feed: String?
        /// Time between imports of `feed`; nil imports only at start.
        public var syncInterval: Duration? = .seconds(3600)
        /// The UNAS API key for order look-ups; orders cannot be looked up without one.
        public var apiKey: String?
        public var apiBaseURL = "https://api.unas.eu/shop"
        public init() {}
    }

    /// The key the shop signs its events with (`events.secret`); nil closes `POST /api/v1/events`.
    public var shopEventsSecret: String?

    /// Messages nobody asked for: cart reminders, order updates, campaigns (`marketing`).
    public var marketing = Marketing()

    /// The clock of scheduled work (jobs, proactive messages, the outbox); tests move it ahead.
    public var clock = WallClock.system
    /// How long the job worker waits at most before looking for due jobs again.
    public var jobPollInterval = Duration.seconds(5)

    /// Proactive messaging's rules.
    public struct Marketing: Sendable {
        /// How long after a cart's last change, without an order, its reminder goes; nil: no reminders.
        public var abandonedCartAfter: Duration? = .seconds(90 * 60)
        /// Marketing messages (reminders, campaigns) one customer is sent in seven days at most.
        public var maxPerWeek = 2
        /// When no marketing is sent (it waits for their end); nil: any time.
        public var quietHours: QuietHours? = try? QuietHours("21:00-08:00", timeZone: TimeZone(identifier: "Europe/Budapest") ?? .gmt)
        /// Customers a campaign's job decides at a time, and the pause between two batches: 100 a second, which the
        /// outbox sends within each platform's own rate.
        public var campaignBatchSize = 100
        public var campaignBatchInterval = Duration.seconds(1)
        public init() {}
    }

    /// How long customers' data is kept (`retention`).
    public var retention = RetentionPolicy(
        conversations: .seconds(365 * 86_400), silentWidgetSessions: .seconds(30 * 86_400), deliveredPayloads: .seconds(30 * 86_400))

    /// Sending the outbox.
    public struct Delivery: Sendable {
        /// Attempts before a message is dead-lettered.
        public var maxAttempts = 8
        public var initialBackoff = Duration.milliseconds(500)
        public var maxBackoff = Duration.seconds(300)
        public var requestTimeout = Duration.seconds(10)
        /// Messages sent at the same time (each from a different conversation).
        public var concurrency = 16
        /// How long after a send in doubt (its gateway died before recording the outcome) the platform's
        /// confirmation is awaited before the message is sent again.
        public var confirmationWait = Duration.seconds(30)
        public init() {}
    }

    /// What the gateway takes in from each sender.
    public struct Inbound: Sendable {
        /// Messages one sender may send on one channel: a bucket of `burst` refilled by `perMinute`.
        public var senderLimit = RateLimit(perMinute: 60, burst: 30)
        public init() {}
    }

    /// The shop's people who take over conversations.
    public struct Operators: Sendable {
        /// When they answer; nil: always.
        public var hours: OperatorHours?
        /// Where a hand-off is announced: a Slack- or Teams-style incoming webhook; nil: nowhere.
        public var notifyWebhookURL: String?
        /// Who is e-mailed of a hand-off (through the e-mail channel); nil: nobody.
        public var notifyEmail: String?
        public init() {}
    }

    /// The website chat widget: its socket, its REST turn and the static files.
    public struct Widget: Sendable {
        /// Our side of every widget conversation (one site per gateway).
        public var accountID = "web"
        /// Folder served at `/` (the demo page and `widget.js`).
        public var staticDirectory = "public"
        /// Page origins allowed to open the socket and call the REST turn (see `OriginPolicy`).
        public var allowedOrigins = ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*"]
        /// Longest message a customer may send, in characters.
        public var maxMessageCharacters = 2000
        /// Largest socket frame accepted; bigger frames close the socket.
        public var maxFrameBytes = 16 << 10
        /// Messages replayed to a socket when it connects.
        public var historyCount = 50
        /// How long the REST turn waits for the agent's reply.
        public var replyTimeout = Duration.seconds(15)
        /// Sockets open at once: per client address, per session, in all.
        public var socketLimits = SocketLimits(perAddress: 20, perSession: 5, total: 10_000)
        /// A socket with no frame from its page for this long is closed (the widget pings every 25 s).
        public var socketIdleTimeout = Duration.seconds(120)
        /// How long an answer waits for a visitor who left; older ones are not sent when they come back.
        public var heldReplyLifetime = Duration.seconds(24 * 3600)
        /// Messages a session may send: a bucket of `burst` refilled by `perMinute`.
        public var sessionLimit = RateLimit(perMinute: 30, burst: 10)
        /// Messages and connections one client address may make.
        public var addressLimit = RateLimit(perMinute: 300, burst: 60)
        /// Signs the shop's own customer ids (`data-user-hash`); nil: no widget visitor is identified.
        public var identitySecret: String?
        /// Silence after our answer, with the widget open, before one nudge; nil: none.
        public var idleNudge: Duration? = .seconds(120)
        /// Inactivity after which a conversation is closed (the next message starts a new one); nil: never.
        public var closeAfter: Duration? = .seconds(30 * 60)
        public init() {}
    }

    /// How many widget sockets may be open at once.
    public struct SocketLimits: Sendable {
        public var perAddress: Int
        public var perSession: Int
        public var total: Int
        public init(perAddress: Int, perSession: Int, total: Int) {
            self.perAddress = perAddress
            self.perSession = perSession
            self.total = total
        }
    }

    /// A token bucket: `burst` at once, refilled at `perMinute`.
    public struct RateLimit: Sendable, Hashable {
        public var perMinute: Int
        public var burst: Int
        public init(perMinute: Int, burst: Int) {
            self.perMinute = perMinute
            self.burst = burst
        }
    }
}

extension GatewayConfig {
    public typealias Messenger = MessengerModule
    public typealias WhatsApp = WhatsAppModule
    public typealias SMS = SMSModule
    public typealias Email = EmailModule

    /// Messenger's settings; nil while the channel is disabled.
    public var messenger: Messenger? {
        get { channels[.messenger] as? Messenger }
        set { channels[.messenger] = newValue }
    }

    /// WhatsApp's settings; nil while the channel is disabled.
    public var whatsapp: WhatsApp? {
        get { channels[.whatsapp] as? WhatsApp }
        set { channels[.whatsapp] = newValue }
    }

    /// SMS's settings; nil while the channel is disabled.
    public var sms: SMS? {
        get { channels[.sms] as? SMS }
        set { channels[.sms] = newValue }
    }

    /// Email's settings; nil while the channel is disabled.
    public var email: Email? {
        get { channels[.email] as? Email }
        set { channels[.email] = newValue }
    }
}
