import Channels
import ConfigFile
import Foundation
import Gateway
import Testing

@Suite("Configuration")
struct ConfigLoaderTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func write(_ yaml: String, name: String = "webhooks.yml") throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name).path
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func error(_ yaml: String, environment: [String: String] = [:]) throws -> ConfigError? {
        let path = try write(yaml)
        do {
            _ = try ConfigLoader(environment: environment).load(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test("the shipped webhooks.yml runs on the embedded defaults with nothing set")
    func shippedDefaults() throws {
        let config = try ConfigLoader(environment: [:]).load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        #expect(config.server.port == 8080)
        #expect(config.server.host == "0.0.0.0")
        #expect(config.storage.url == "sqlite:data/chatbuddy.sqlite")
        #expect(config.messenger == nil)
        #expect(config.admin.apiKey == nil)
    }

    @Test("the shipped file takes the environment, and the Messenger profile's limits")
    func shippedWithEnvironment() throws {
        let environment = [
            "PORT": "9090", "DATABASE_URL": "postgres://u:p@127.0.0.1:5432/db", "ADMIN_API_KEY": "k",
            "MESSENGER_VERIFY_TOKEN": "v", "MESSENGER_APP_SECRET": "s", "MESSENGER_PAGE_ACCESS_TOKEN": "t",
            "META_GRAPH_BASE_URL": "http://127.0.0.1:1234/v25.0", "AGENT_PAUSED": "true",
        ]
        let config = try ConfigLoader(environment: environment).load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        #expect(try !ConfigLoader(environment: [:]).load(path: Self.root.appendingPathComponent("webhooks.yml").path).agent.paused)
        #expect(config.agent.paused)
        #expect(config.server.port == 9090)
        #expect(config.storage.url == "postgres://u:p@127.0.0.1:5432/db")
        #expect(config.admin.apiKey == "k")
        let messenger = try #require(config.messenger)
        #expect(messenger.graphBaseURL == "http://127.0.0.1:1234/v25.0")
        #expect(messenger.profile == ChannelProfile.messenger)
        #expect(messenger.maxBodyBytes == 1_048_576)
    }

    @Test("SMS and email come on with their environment; the shipped profile, layout and addresses are read")
    func smsAndEmail() throws {
        let environment = [
            "PUBLIC_BASE_URL": "https://chat.example.hu/", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM_NUMBER": "+3617000123",
            "SENDGRID_API_KEY": "SG.k", "EMAIL_FROM_ADDRESS": "support@example.hu", "EMAIL_INBOUND_TOKEN": "secret", "EMAIL_FROM_NAME": "Example Webshop",
        ]
        let config = try ConfigLoader(environment: environment).load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        let sms = try #require(config.sms)
        #expect(sms.settings.statusCallback == "https://chat.example.hu/webhooks/sms/status")
        #expect(sms.settings.segmentBudget == 3)
        #expect(sms.settings.keywords.command(in: "Leiratkozás") == .optOut)
        #expect(!sms.settings.shortenLinks)
        let email = try #require(config.email)
        #expect(email.settings.fromName == "Example Webshop")
        #expect(email.settings.unsubscribeURL == "https://chat.example.hu/unsubscribe/email")
        #expect(email.settings.unsubscribeKey != "secret" && email.settings.unsubscribeKey.count == 64, "derived one-way from the inbound token")
        let ownSecret = try ConfigLoader(environment: environment.merging(["EMAIL_UNSUBSCRIBE_SECRET": "links-key"]) { $1 })
            .load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        #expect(ownSecret.email?.settings.unsubscribeKey == "links-key")
        let none = try ConfigLoader(environment: [:]).load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        #expect(none.sms == nil && none.email == nil)

        let partialSMS = try #require(try error("channels:\n  sms:\n    account_sid: AC1\n    from_number: '+361'\n"))
        #expect(partialSMS.key == "channels.sms.auth_token")
        let noSender = try #require(try error("channels:\n  sms:\n    account_sid: AC1\n    auth_token: t\n"))
        #expect(noSender.key == "channels.sms.from_number")
        let badFrom = try #require(try error("channels:\n  email:\n    api_key: k\n    from_address: support\n    inbound_token: t\n"))
        #expect(badFrom.key == "channels.email.from_address")
        let noLayout = try #require(try error("channels:\n  email:\n    api_key: k\n    from_address: a@b.hu\n    inbound_token: t\n    layout: nope.mustache\n"))
        #expect(noLayout.key == "channels.email.layout")
        #expect(noLayout.reason.contains("nope.mustache"))
    }

    @Test("${VAR} and ${VAR:-default} substitution")
    func substitution() throws {
        let path = try write("""
            server:
              host: ${BIND_HOST}
              port: ${PORT:-8181}
              public_base_url: https://${DOMAIN:-example.com}/chat
            """)
        let config = try ConfigLoader(environment: ["BIND_HOST": "127.0.0.1", "PORT": ""]).load(path: path)
        #expect(config.server.host == "127.0.0.1")
        #expect(config.server.port == 8181)
        #expect(config.server.publicBaseURL == "https://example.com/chat")
    }

    @Test("the webshop section: no feed by default, the sample catalog only with the demo, UNAS_FEED, the sync interval")
    func webshop() throws {
        let shipped = Self.root.appendingPathComponent("webhooks.yml").path
        var defaults = try ConfigLoader(environment: [:]).load(path: shipped)
        #expect(defaults.webshop.feed == nil, "production starts with the stored catalog, never the sample")
        #expect(defaults.demoDirectory == nil)
        #expect(defaults.webshop.syncInterval == .seconds(3600))
        defaults.enableDemo(directory: Self.root.appendingPathComponent("demo").path)
        #expect(defaults.webshop.feed == Self.root.appendingPathComponent("demo/catalog/sample-unas.xml").path)
        #expect(FileManager.default.fileExists(atPath: defaults.webshop.feed ?? ""))
        let remote = try ConfigLoader(environment: ["UNAS_FEED": "https://shop.example.hu/feed.xml", "UNAS_SYNC_MINUTES": "0"])
            .load(path: shipped)
        #expect(remote.webshop.feed == "https://shop.example.hu/feed.xml")
        #expect(remote.webshop.syncInterval == nil, "0 imports only at start")
        let off = try ConfigLoader(environment: ["UNAS_FEED": ""]).load(path: shipped)
        #expect(off.webshop.feed == nil, "an empty UNAS_FEED keeps the stored catalog")
        let bad = try error("webshop:\n  sync_interval_minutes: -5\n")
        #expect(bad?.key == "webshop.sync_interval_minutes")
        let unknown = try error("webshop:\n  feeds: x\n")
        #expect(unknown?.key == "webshop.feeds")
    }

    @Test("operators.hours: read in its time zone, empty for always; a wrong one names the key and why")
    func operatorHours() throws {
        let shipped = Self.root.appendingPathComponent("webhooks.yml").path
        #expect(try ConfigLoader(environment: [:]).load(path: shipped).operators.hours == nil)
        let set = try ConfigLoader(environment: ["OPERATOR_HOURS": "Mon-Fri 09:00-17:00"]).load(path: shipped)
        #expect(set.operators.hours?.openings.count == 5)
        #expect(set.operators.hours?.timeZone.identifier == "Europe/Budapest")
        let bad = try error("operators:\n  hours: Funday 09:00-17:00\n")
        #expect(bad?.key == "operators.hours")
        #expect(bad?.reason.contains("Mon, Tue") == true)
        let zone = try error("operators:\n  hours: Mon 09:00-17:00\n  time_zone: Mars/Olympus\n")
        #expect(zone?.key == "operators.time_zone")
    }

    @Test("retention: a year, 30 days and 30 days by default; RETENTION_DAYS; 0 keeps for good; the widget's identity secret; wrong values name the key")
    func retention() throws {
        let shipped = Self.root.appendingPathComponent("webhooks.yml").path
        let defaults = try ConfigLoader(environment: [:]).load(path: shipped).retention
        #expect(defaults.conversations == .seconds(365 * 86_400))
        #expect(defaults.silentWidgetSessions == .seconds(30 * 86_400) && defaults.deliveredPayloads == .seconds(30 * 86_400))
        #expect(try ConfigLoader(environment: ["RETENTION_DAYS": "90"]).load(path: shipped).retention.conversations == .seconds(90 * 86_400))
        #expect(try ConfigLoader(environment: ["RETENTION_DAYS": "0"]).load(path: shipped).retention.conversations == nil)
        let short = try #require(try error("widget:\n  identity_secret: abc\n"))
        #expect(short.key == "widget.identity_secret")
        #expect(try ConfigLoader(environment: ["WIDGET_IDENTITY_SECRET": "0123456789abcdef"]).load(path: shipped).widget?.identitySecret == "0123456789abcdef")
        let wrong = try #require(try error("retention:\n  widget_sessions_days: -1\n"))
        #expect(wrong.key == "retention.widget_sessions_days" && wrong.line == 2)
    }

    @Test("marketing: 90-minute reminders, two a week, quiet 21:00-08:00 in Budapest by default; ABANDONED_CART_AFTER and QUIET_HOURS; wrong values name the key")
    func marketing() throws {
        let shipped = Self.root.appendingPathComponent("webhooks.yml").path
        let defaults = try ConfigLoader(environment: [:]).load(path: shipped).marketing
        #expect(defaults.abandonedCartAfter == .seconds(90 * 60) && defaults.maxPerWeek == 2)
        #expect(defaults.quietHours?.from == 21 * 60 && defaults.quietHours?.until == 8 * 60)
        #expect(defaults.quietHours?.timeZone.identifier == "Europe/Budapest")
        let changed = try ConfigLoader(environment: ["ABANDONED_CART_AFTER": "30s", "QUIET_HOURS": ""]).load(path: shipped).marketing
        #expect(changed.abandonedCartAfter == .seconds(30) && changed.quietHours == nil, "an empty QUIET_HOURS switches them off")
        #expect(try ConfigLoader(environment: ["ABANDONED_CART_AFTER": "0"]).load(path: shipped).marketing.abandonedCartAfter == nil)
        #expect(try ConfigLoader(environment: ["ABANDONED_CART_AFTER": "2h"]).load(path: shipped).marketing.abandonedCartAfter == .seconds(7200))
        let duration = try #require(try error("marketing:\n  abandoned_cart_after: soon\n"))
        #expect(duration.key == "marketing.abandoned_cart_after" && duration.reason.contains("90m"))
        let quiet = try #require(try error("marketing:\n  quiet_hours: 21-8\n"))
        #expect(quiet.key == "marketing.quiet_hours" && quiet.line == 2)
        #expect(try error("marketing:\n  time_zone: Mars/Olympus\n")?.key == "marketing.time_zone")
    }

    @Test("errors name the file, line, key and reason")
    func errors() throws {
        let unknown = try #require(try error("server:\n  port: 80\n  prot: 1\n"))
        #expect(unknown.file.hasSuffix("webhooks.yml"))
        #expect(unknown.line == 3)
        #expect(unknown.key == "server.prot")
        #expect(unknown.reason.hasPrefix("unknown key"))
        #expect(unknown.description == "\(unknown.file):3: server.prot: \(unknown.reason)")

        let type = try #require(try error("delivery:\n  max_attempts: many\n"))
        #expect(type.line == 2)
        #expect(type.key == "delivery.max_attempts")
        #expect(type.reason == "expected an integer, got 'many'")

        let range = try #require(try error("server:\n  port: 70000\n"))
        #expect(range.reason == "must be between 0 and 65535, got 70000")

        let missing = try #require(try error("admin:\n  api_key: ${ADMIN_KEY}\n"))
        #expect(missing.line == 2)
        #expect(missing.reason == "environment variable ADMIN_KEY is not set")

        let partial = try #require(try error("channels:\n  messenger:\n    verify_token: v\n    app_secret: s\n"))
        #expect(partial.key == "channels.messenger.page_access_token")
        #expect(partial.line == 2)

        let syntax = try #require(try error("server:\n  port: [1,\n"))
        #expect(syntax.reason.hasPrefix("not valid YAML"))
        #expect(syntax.line != nil)

        let nested = try #require(try error("server: 8080\n"))
        #expect(nested.key == "server")
        #expect(nested.reason == "expected a mapping of keys to values")

        let storage = try #require(try error("storage:\n  url: mysql://x\n"))
        #expect(storage.key == "storage.url")
    }

    @Test("the widget section: defaults, environment lists, and refused values")
    func widget() throws {
        let shipped = Self.root.appendingPathComponent("webhooks.yml").path
        let defaults = try #require(try ConfigLoader(environment: [:]).load(path: shipped).widget)
        #expect(defaults.allowedOrigins == ["http://localhost:*", "http://127.0.0.1:*", "http://[::1]:*", "http://localhost:8080"])
        #expect(defaults.staticDirectory == Self.root.appendingPathComponent("public").path)
        #expect(defaults.sessionLimit == .init(perMinute: 30, burst: 10))

        let environment = [
            "WIDGET_ALLOWED_ORIGINS": "https://shop.hu, https://*.shop.hu", "PUBLIC_BASE_URL": "https://chat.shop.hu",
            "WIDGET_ADDRESS_PER_MINUTE": "600",
        ]
        let configured = try #require(try ConfigLoader(environment: environment).load(path: shipped).widget)
        #expect(configured.allowedOrigins == ["https://shop.hu", "https://*.shop.hu", "https://chat.shop.hu"])
        #expect(configured.addressLimit.perMinute == 600)
        #expect(try ConfigLoader(environment: ["WIDGET_ENABLED": "false"]).load(path: shipped).widget == nil)

        let pattern = try #require(try error("widget:\n  allowed_origins: [\"https://shop.hu/path\"]\n"))
        #expect(pattern.key == "widget.allowed_origins")
        #expect(pattern.line == 2)
        #expect(pattern.reason.contains("'https://shop.hu/path' is not an origin"))
        let limit = try #require(try error("widget:\n  rate_limits:\n    session_burst: 0\n"))
        #expect(limit.key == "widget.rate_limits.session_burst")
        #expect(limit.line == 3)
    }

    @Test("a missing file or profile is named")
    func missingFiles() throws {
        #expect(throws: ConfigError(file: "/nonexistent/webhooks.yml", line: nil, key: "", reason: "cannot read the file (missing, unreadable or not UTF-8)")) {
            try ConfigLoader().load(path: "/nonexistent/webhooks.yml")
        }
        let profileError = try #require(try error("""
            channels:
              messenger:
                verify_token: v
                app_secret: s
                page_access_token: t
                profile: nowhere.yml
            """))
        #expect(profileError.file.hasSuffix("nowhere.yml"))
    }

    @Test("a profile's unknown keys and bad values are refused")
    func profileErrors() throws {
        let path = try write("text:\n  max_characters: 0\n", name: "messenger.yml")
        #expect(throws: ConfigError.self) { try ConfigLoader().loadProfile(path) }
        let typo = try write("quick_replies:\n  max_cnt: 3\n", name: "messenger.yml")
        do {
            _ = try ConfigLoader().loadProfile(typo)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 2)
            #expect(error.key == "quick_replies.max_cnt")
        }
    }

    @Test("check-config exits 2 naming the problem, and 0 when valid")
    func checkConfigCommand() async throws {
        let bad = try write("server:\n  port: abc\n")
        let (status, output) = try await run(["check-config", "--config", bad])
        #expect(status == 2)
        #expect(output.contains("\(bad):2: server.port: expected an integer, got 'abc'"))
        let (okStatus, okOutput) = try await run(["check-config", "--config", Self.root.appendingPathComponent("webhooks.yml").path])
        #expect(okStatus == 0)
        #expect(okOutput.contains("OK"))
        #expect(okOutput.contains("channels: widget"))
        #expect(okOutput.contains("warning: webshop.feed is empty"))
        #expect(okOutput.contains("warning: admin.api_key is empty"))
        let (serveStatus, serveOutput) = try await run(["serve", "--config", bad])
        #expect(serveStatus == 2)
        #expect(serveOutput.contains("server.port"))
    }

    @Test("the agents' settings: a model needs its name; a broken knowledge or offers file is named with its key")
    func agentSettings() async throws {
        let noModel = try #require(try error("agent:\n  llm:\n    base_url: http://127.0.0.1:9/v1\n"))
        #expect(noModel.key == "agent.llm.model")
        let badURL = try #require(try error("agent:\n  remote:\n    url: ftp://example.hu\n"))
        #expect(badURL.key == "agent.remote.url")
        let config = try ConfigLoader(environment: ["LLM_BASE_URL": "http://127.0.0.1:9/v1", "LLM_MODEL": "m", "AGENT_GRAPH_URL": ""])
            .load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        #expect(config.agent.model?.name == "m")
        #expect(config.agent.remote == nil)

        let path = try write("agent:\n  templates: templates\n")
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("templates")
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("templates"), to: folder)
        let knowledge = folder.appendingPathComponent("en/knowledge.yml")
        try "topics:\n  greeting:\n    keywords: [hi]\n".write(to: knowledge, atomically: true, encoding: .utf8)
        let (status, output) = try await run(["check-config", "--config", path])
        #expect(status == 2)
        #expect(output.contains("\(knowledge.path): topics.greeting.answer: a text is required"))
        try FileManager.default.removeItem(at: knowledge)
        try FileManager.default.copyItem(at: Self.root.appendingPathComponent("templates/en/knowledge.yml"), to: knowledge)
        try "coupons:\n  - code: X1\n".write(to: folder.appendingPathComponent("shop.yml"), atomically: true, encoding: .utf8)
        let (offersStatus, offersOutput) = try await run(["serve", "--config", path])
        #expect(offersStatus == 2)
        #expect(offersOutput.contains("shop.yml: coupons[0]: give either percent or amount"))
    }

    @Test("check-config lists every enabled channel and warns about go-live mistakes")
    func goLive() throws {
        let environment = [
            "PUBLIC_BASE_URL": "http://chat.example.hu", "TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_FROM_NUMBER": "+3617000123",
            "SENDGRID_API_KEY": "SG.k", "EMAIL_FROM_ADDRESS": "support@example.hu", "EMAIL_INBOUND_TOKEN": "secret",
        ]
        let config = try ConfigLoader(environment: environment).load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        #expect(GoLiveCheck.channels(config) == ["sms", "email", "widget"])
        let warnings = GoLiveCheck.warnings(config)
        #expect(warnings.contains { $0.hasPrefix("server.public_base_url is http://chat.example.hu") })
        #expect(warnings.contains { $0.hasPrefix("server.metrics_token is empty and the server listens on 0.0.0.0") })
        let live = try ConfigLoader(environment: environment.merging([
            "PUBLIC_BASE_URL": "https://chat.example.hu", "ADMIN_API_KEY": "k", "UNAS_FEED": "https://bolt.example.hu/feed.xml",
            "METRICS_TOKEN": "m",
        ]) { $1 }).load(path: Self.root.appendingPathComponent("webhooks.yml").path)
        #expect(GoLiveCheck.warnings(live).isEmpty, "\(GoLiveCheck.warnings(live))")
    }

    @Test("--demo and CHATBUDDY_DEMO turn the demo content on, and check-config warns about it")
    func demoSwitch() async throws {
        let shipped = Self.root.appendingPathComponent("webhooks.yml").path
        let (plainStatus, plain) = try await run(["check-config", "--config", shipped])
        #expect(plainStatus == 0)
        #expect(!plain.contains("demo content is on"))
        #expect(plain.contains("warning: webshop.feed is empty"))
        for (arguments, environment) in [(["--demo"], [:]), ([], ["CHATBUDDY_DEMO": "1"])] {
            let (status, output) = try await ChatbuddyCommand.run(["check-config", "--config", shipped] + arguments, environment: environment)
            #expect(status == 0)
            #expect(output.contains("warning: demo content is on"), "\(arguments) \(environment)")
            #expect(output.contains("warning: webshop.feed is the shipped sample catalog"))
        }
    }

    @Test("--version prints the release, as CHANGELOG.md names it last")
    func version() async throws {
        let (status, output) = try await run(["--version"])
        #expect(status == 0)
        let changelog = try String(contentsOf: Self.root.appendingPathComponent("CHANGELOG.md"), encoding: .utf8)
        let latest = try #require(changelog.firstMatch(of: /## (\d+\.\d+\.\d+)/)?.1)
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == String(latest))
    }

    func run(_ arguments: [String]) async throws -> (Int32, String) {
        try await ChatbuddyCommand.run(arguments)
    }
}
