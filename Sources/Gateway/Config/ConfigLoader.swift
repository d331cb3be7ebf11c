import Agents
import Channels
import ConfigFile
import Foundation
import Logging
import Storage
import Yams

/// Reads and validates `webhooks.yml` and the channel profiles it names.
public struct ConfigLoader: Sendable {
    private let substitution: EnvironmentSubstitution

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        substitution = EnvironmentSubstitution(environment: environment)
    }

    /// Loads the configuration at `path`; every problem is a `ConfigError` naming file, line, key and reason.
    public func load(path: String) throws(ConfigError) -> GatewayConfig {
        let root = try readYAML(path)
        let folder = (path as NSString).deletingLastPathComponent
        try root.allowOnly(["server", "storage", "admin", "agent", "delivery", "inbound", "operators", "webshop", "widget", "channels", "retention", "events", "marketing"])
        var config = GatewayConfig()

        let server = try root.section("server")
        try server.allowOnly(["host", "port", "public_base_url", "log_level", "frame_ancestors", "metrics_token", "trusted_proxies"])
        config.server.host = try server.string("host", default: config.server.host)
        config.server.port = try server.int("port", default: config.server.port, in: 0...65535)
        let publicBaseURL = try server.string("public_base_url", default: config.server.publicBaseURL)
        config.server.publicBaseURL = publicBaseURL.hasSuffix("/") ? String(publicBaseURL.dropLast()) : publicBaseURL
        let level = try server.string("log_level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level.lowercased()) else {
            throw server.error("log_level", "expected one of trace, debug, info, notice, warning, error, critical")
        }
        config.server.logLevel = logLevel
        if let ancestors = try server.strings("frame_ancestors")?.map({ $0.trimmingCharacters(in: .whitespaces) }) {
            for source in ancestors where source.isEmpty || source.contains(where: { $0 == ";" || $0 == "," || $0.isWhitespace }) {
                throw server.error("frame_ancestors", "'\(source)' is not a CSP source ('self', 'none', or scheme://host)")
            }
            if !ancestors.isEmpty { config.server.frameAncestors = ancestors }
        }
        config.server.metricsToken = try server.string("metrics_token").flatMap { $0.isEmpty ? nil : $0 }
        let proxies = (try server.strings("trusted_proxies") ?? []).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for proxy in proxies where IPNetwork(proxy) == nil {
            throw server.error("trusted_proxies", "'\(proxy)' is not an address or CIDR network (10.0.0.0/8, ::1)")
        }
        config.server.trustedProxies = proxies

        let storage = try root.section("storage")
        try storage.allowOnly(["url"])
        config.storage.url = try storage.string("url", default: config.storage.url)
        guard config.storage.url.hasPrefix("sqlite:") || config.storage.url.hasPrefix("postgres://")
            || config.storage.url.hasPrefix("postgresql://")
        else {
            throw storage.error("url", "expected sqlite:PATH or postgres://user:pass@host:port/db")
        }

        let admin = try root.section("admin")
        try admin.allowOnly(["api_key"])
        config.admin.apiKey = try admin.string("api_key").flatMap { $0.isEmpty ? nil : $0 }

        let agent = try root.section("agent")
        try agent.allowOnly([
            "templates", "history_limit", "concurrency", "human_idle_minutes", "clarify_below_percent", "forints_per_euro", "turn_deadline_ms",
            "llm", "remote", "paused",
        ])
        config.agent.templatesDirectory = resolve(try agent.string("templates", default: "templates"), in: folder)
        config.agent.historyLimit = try agent.int("history_limit", default: config.agent.historyLimit, in: 0...500)
        config.agent.concurrency = try agent.int("concurrency", default: config.agent.concurrency, in: 1...10_000)
        config.agent.paused = try agent.bool("paused", default: false)
        config.agent.humanIdle = .seconds(60 * (try agent.int("human_idle_minutes", default: 30, in: 1...10_080)))
        config.agent.clarifyBelow = Double(try agent.int("clarify_below_percent", default: 30, in: 0...100)) / 100
        config.agent.turnDeadline = .milliseconds(try agent.int("turn_deadline_ms", default: 10_000, in: 100...120_000))
        config.agent.forintsPerEuro = Double(try agent.int("forints_per_euro", default: 400, in: 1...10_000))
        config.agent.model = try model(agent.section("llm"))
        config.agent.remote = try remote(agent.section("remote"))

        let inbound = try root.section("inbound")
        try inbound.allowOnly(["sender_per_minute", "sender_burst"])
        config.inbound.senderLimit = .init(
            perMinute: try inbound.int("sender_per_minute", default: config.inbound.senderLimit.perMinute, in: 1...10_000_000),
            burst: try inbound.int("sender_burst", default: config.inbound.senderLimit.burst, in: 1...10_000_000))

        let operators = try root.section("operators")
        try operators.allowOnly(["hours", "time_zone", "notify"])
        let notify = try operators.section("notify")
        try notify.allowOnly(["webhook_url", "email"])
        if let url = try notify.string("webhook_url"), !url.isEmpty {
            config.operators.notifyWebhookURL = try notify.httpURL("webhook_url", default: url)
        }
        if let address = try notify.string("email"), !address.isEmpty {
            guard address.contains("@"), !address.contains(where: \.isWhitespace) else {
                throw notify.error("email", "expected an e-mail address, got '\(address)'")
            }
            config.operators.notifyEmail = address
        }
        if let hours = try operators.string("hours"), !hours.isEmpty {
            let zoneName = try operators.string("time_zone", default: "Europe/Budapest")
            guard let zone = TimeZone(identifier: zoneName) else {
                throw operators.error("time_zone", "'\(zoneName)' is not a time zone (like Europe/Budapest)")
            }
            do {
                config.operators.hours = try OperatorHours(hours, timeZone: zone)
            } catch {
                throw operators.error("hours", error.description)
            }
        }

        let events = try root.section("events")
        try events.allowOnly(["secret"])
        if let secret = try events.string("secret"), !secret.isEmpty {
            guard secret.utf8.count >= 16 else { throw events.error("secret", "use at least 16 characters (a random secret only the shop's server knows)") }
            config.shopEventsSecret = secret
        }
        config.marketing = try marketing(root.section("marketing"))
        let retention = try root.section("retention")
        try retention.allowOnly(["conversations_days", "widget_sessions_days", "delivered_payload_days"])
        func days(_ key: String, default value: Int) throws(ConfigError) -> Duration? {
            let days = try retention.int(key, default: value, in: 0...36_500)
            return days == 0 ? nil : .seconds(days * 86_400)
        }
        config.retention = RetentionPolicy(
            conversations: try days("conversations_days", default: 365), silentWidgetSessions: try days("widget_sessions_days", default: 30),
            deliveredPayloads: try days("delivered_payload_days", default: 30))
        let delivery = try root.section("delivery")
        try delivery.allowOnly(["max_attempts", "initial_backoff_ms", "max_backoff_ms", "timeout_ms", "concurrency", "confirmation_wait_ms"])
        config.delivery.maxAttempts = try delivery.int("max_attempts", default: 8, in: 1...100)
        config.delivery.initialBackoff = .milliseconds(try delivery.int("initial_backoff_ms", default: 500, in: 1...3_600_000))
        config.delivery.maxBackoff = .milliseconds(try delivery.int("max_backoff_ms", default: 300_000, in: 1...86_400_000))
        config.delivery.requestTimeout = .milliseconds(try delivery.int("timeout_ms", default: 10_000, in: 100...600_000))
        config.delivery.concurrency = try delivery.int("concurrency", default: 16, in: 1...1000)
        config.delivery.confirmationWait = .milliseconds(try delivery.int("confirmation_wait_ms", default: 30_000, in: 0...86_400_000))

        let webshop = try root.section("webshop")
        try webshop.allowOnly(["feed", "sync_interval_minutes", "api_key", "api_base_url"])
        config.webshop.apiKey = try webshop.string("api_key").flatMap { $0.isEmpty ? nil : $0 }
        config.webshop.apiBaseURL = try webshop.httpURL("api_base_url", default: config.webshop.apiBaseURL)
        if let feed = try webshop.string("feed"), !feed.isEmpty {
            config.webshop.feed = feed.hasPrefix("http://") || feed.hasPrefix("https://") ? feed : resolve(feed, in: folder)
        }
        let minutes = try webshop.int("sync_interval_minutes", default: 60, in: 0...525_600)
        config.webshop.syncInterval = minutes == 0 ? nil : .seconds(minutes * 60)

        config.widget = try widget(root.section("widget"), folder: folder, publicBaseURL: config.server.publicBaseURL)

        let channels = try root.section("channels")
        try channels.allowOnly(Set(ChannelRegistry.modules.map { $0.channel.rawValue }))
        let context = ChannelConfigContext(publicBaseURL: config.server.publicBaseURL)
        for module in ChannelRegistry.modules {
            if let channel = try module.read(channels.section(module.channel.rawValue), context: context) {
                config.channels[module.channel] = channel
            }
        }
        return config
    }

    private func marketing(_ section: ConfigSection) throws(ConfigError) -> GatewayConfig.Marketing {
        try section.allowOnly(["abandoned_cart_after", "max_per_week", "quiet_hours", "time_zone"])
        var marketing = GatewayConfig.Marketing()
        if let text = try section.string("abandoned_cart_after") {
            guard let after = Self.duration(text) else {
                throw section.error("abandoned_cart_after", "'\(text)' is not a duration like 90m, 30s, 2h or 1d (0 or empty: no reminders)")
            }
            marketing.abandonedCartAfter = after == .zero ? nil : after
        }
        marketing.maxPerWeek = try section.int("max_per_week", default: marketing.maxPerWeek, in: 0...1000)
        let zoneName = try section.string("time_zone", default: "Europe/Budapest")
        guard let zone = TimeZone(identifier: zoneName) else {
            throw section.error("time_zone", "'\(zoneName)' is not a time zone (like Europe/Budapest)")
        }
        let quiet = try section.string("quiet_hours", default: "21:00-08:00").trimmingCharacters(in: .whitespaces)
        do {
            marketing.quietHours = quiet.isEmpty ? nil : try QuietHours(quiet, timeZone: zone)
        } catch {
            throw section.error("quiet_hours", error.description)
        }
        return marketing
    }

    /// `90m`, `30s`, `2h`, `1d`; a bare number is seconds; nil when it is none of these.
    static func duration(_ text: String) -> Duration? {
        let text = text.trimmingCharacters(in: .whitespaces).lowercased()
        if text.isEmpty { return .zero }
        let units: [Character: Int64] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
        let unit = text.last.flatMap { units[$0] }
        guard let amount = Int64(unit == nil ? text : String(text.dropLast())), amount >= 0, amount <= 366 * 86_400 else { return nil }
        return .seconds(amount * (unit ?? 1))
    }

    private func model(_ section: ConfigSection) throws(ConfigError) -> GatewayConfig.Model? {
        try section.allowOnly(["base_url", "api_key", "model", "timeout_ms"])
        guard try section.string("base_url")?.isEmpty == false else { return nil }
        let baseURL = try section.httpURL("base_url", default: "")
        let name = try section.string("model") ?? ""
        guard !name.isEmpty else { throw section.error("model", "required when base_url is set (LLM_MODEL)") }
        var model = GatewayConfig.Model(baseURL: baseURL, apiKey: try section.string("api_key") ?? "", name: name)
        model.timeout = .milliseconds(try section.int("timeout_ms", default: 8000, in: 100...120_000))
        return model
    }

    private func remote(_ section: ConfigSection) throws(ConfigError) -> GatewayConfig.Remote? {
        try section.allowOnly(["url", "timeout_ms"])
        guard try section.string("url")?.isEmpty == false else { return nil }
        let url = try section.httpURL("url", default: "")
        var remote = GatewayConfig.Remote(url: url)
        remote.timeout = .milliseconds(try section.int("timeout_ms", default: 5000, in: 100...120_000))
        return remote
    }

    private func widget(_ section: ConfigSection, folder: String, publicBaseURL: String) throws(ConfigError) -> GatewayConfig.Widget? {
        try section.allowOnly([
            "enabled", "account_id", "static_directory", "allowed_origins", "max_message_characters", "max_frame_bytes",
            "history_count", "reply_timeout_ms", "held_reply_minutes", "rate_limits", "max_sockets_per_address",
            "max_sockets_per_session", "max_sockets", "socket_idle_seconds", "identity_secret", "idle_nudge_seconds", "close_after_minutes",
        ])
        guard try section.bool("enabled", default: true) else { return nil }
        var widget = GatewayConfig.Widget()
        widget.accountID = try section.string("account_id", default: widget.accountID)
        guard !widget.accountID.isEmpty else { throw section.error("account_id", "a value is required") }
        widget.staticDirectory = resolve(try section.string("static_directory", default: widget.staticDirectory), in: folder)
        if let origins = try section.strings("allowed_origins") {
            for origin in origins where !OriginPolicy.isValidPattern(origin) {
                throw section.error(
                    "allowed_origins", "'\(origin)' is not an origin (scheme://host[:port], a port of *, a host of *.domain, or *)")
            }
            widget.allowedOrigins = origins
        }
        if let own = OriginPolicy.origin(of: publicBaseURL), !widget.allowedOrigins.contains(own) {
            widget.allowedOrigins.append(own)
        }
        widget.maxMessageCharacters = try section.int("max_message_characters", default: widget.maxMessageCharacters, in: 1...100_000)
        widget.maxFrameBytes = try section.int("max_frame_bytes", default: widget.maxFrameBytes, in: 1024...(16 << 20))
        widget.historyCount = try section.int("history_count", default: widget.historyCount, in: 0...1000)
        widget.replyTimeout = .milliseconds(try section.int("reply_timeout_ms", default: 15_000, in: 100...600_000))
        widget.heldReplyLifetime = .seconds(60 * (try section.int("held_reply_minutes", default: 1440, in: 1...525_600)))
        widget.socketLimits = .init(
            perAddress: try section.int("max_sockets_per_address", default: widget.socketLimits.perAddress, in: 1...1_000_000),
            perSession: try section.int("max_sockets_per_session", default: widget.socketLimits.perSession, in: 1...1_000),
            total: try section.int("max_sockets", default: widget.socketLimits.total, in: 1...10_000_000))
        widget.socketIdleTimeout = .seconds(try section.int("socket_idle_seconds", default: 120, in: 5...86_400))
        let nudge = try section.int("idle_nudge_seconds", default: 120, in: 0...86_400)
        widget.idleNudge = nudge == 0 ? nil : .seconds(nudge)
        let close = try section.int("close_after_minutes", default: 30, in: 0...525_600)
        widget.closeAfter = close == 0 ? nil : .seconds(close * 60)
        if let secret = try section.string("identity_secret"), !secret.isEmpty {
            guard secret.utf8.count >= 16 else { throw section.error("identity_secret", "use at least 16 characters (a random secret only the shop's server knows)") }
            widget.identitySecret = secret
        }
        let limits = try section.section("rate_limits")
        try limits.allowOnly(["session_per_minute", "session_burst", "address_per_minute", "address_burst"])
        widget.sessionLimit = .init(
            perMinute: try limits.int("session_per_minute", default: widget.sessionLimit.perMinute, in: 1...10_000_000),
            burst: try limits.int("session_burst", default: widget.sessionLimit.burst, in: 1...10_000_000))
        widget.addressLimit = .init(
            perMinute: try limits.int("address_per_minute", default: widget.addressLimit.perMinute, in: 1...10_000_000),
            burst: try limits.int("address_burst", default: widget.addressLimit.burst, in: 1...10_000_000))
        return widget
    }

    /// Reads a channel capability profile (`channels/<name>.yml`).
    public func loadProfile(_ path: String) throws(ConfigError) -> ChannelProfile {
        try ChannelProfile.read(readYAML(path))
    }

    /// The YAML file at `path`, relative paths in it resolved against `folder` (the configuration's).
    func readYAML(_ path: String, folder: String? = nil) throws(ConfigError) -> ConfigSection {
        try ConfigSection.read(path, folder: folder ?? (path as NSString).deletingLastPathComponent, substitution: substitution)
    }

    func resolve(_ path: String, in folder: String) -> String {
        path.hasPrefix("/") || folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }
}
