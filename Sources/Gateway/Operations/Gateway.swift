import Agents
import Foundation
import AsyncHTTPClient
import Channels
import ChatModel
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import Storage
import Webshop
import HTTPCall

/// Builds the whole server (store, runner, delivery, routes) from a configuration.
public enum Gateway {
    /// Opens the configured store, migrates it, and serves until SIGTERM or SIGINT; then drains and returns.
    public static func serve(config: GatewayConfig, logger: Logger) async throws {
        let lock = try SQLiteServeLock.acquire(url: config.storage.url)
        defer { withExtendedLifetime(lock) {} }
        try await withStore(url: config.storage.url, logger: logger) { store in
            let app = try await makeApplication(config: config, store: store, logger: logger)
            try await app.runService()
        }
    }

    /// Runs `body` with the store at `url` open, its background work (connection pool) running and its
    /// schema migrated; closes it afterwards.
    public static func withStore<T: Sendable>(
        url: String, logger: Logger, _ body: (any Store) async throws -> T
    ) async throws -> T {
        let store = try await SQLStore.open(url: url, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            do {
                let applied = try await migrate(store, url: url, within: .seconds(20))
                if !applied.isEmpty { logger.info("database migrated", metadata: ["versions": "\(applied)"]) }
                let result = try await body(store)
                group.cancelAll()
                try await store.close()
                return result
            } catch {
                group.cancelAll()
                try? await store.close()
                throw error
            }
        }
    }

    /// Migrates the store, failing with a clear reason when the database does not answer in time.
    private static func migrate(_ store: any Store, url: String, within limit: Duration) async throws -> [Int] {
        try await withThrowingTaskGroup(of: [Int]?.self) { group in
            group.addTask { try await store.migrate() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let applied = try await group.next() ?? nil else {
                throw DatabaseUnreachable(url: url, limit: limit)
            }
            return applied
        }
    }

    /// The application on a store that is running and migrated (see `withStore`), ready to `runService()`.
    public static func makeApplication(
        config: GatewayConfig,
        store: any Store,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any NIOCore.Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        if !store.isShared {
            // The only gateway of its database: what it finds claimed was claimed by a run that is gone.
            let freed = try await store.releaseClaims(of: nil)
            if freed > 0 { logger.info("the previous run's claims taken over", metadata: ["claims": "\(freed)"]) }
        }
        let parts = try await makeParts(config: config, store: store, logger: logger)
        let socketResponder = parts.socketRouter.buildResponder()
        let maxFrameBytes = parts.maxFrameBytes
        // Shut down in reverse: server, runner (finishes its events), delivery (finishes its sends), HTTP client.
        return Application(
            router: parts.router,
            server: HTTPServerBuilder { responder in
                ReceiveSizedChannel(base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, webSocketResponder: socketResponder,
                    // No protocol pings: the widget pings every 25 s, and a socket silent for widget.socket_idle_seconds
                    // is closed by WidgetSocketReaper (a ping task per socket would cost memory for nothing).
                    configuration: .init(ws: WebSocketServerConfiguration(maxFrameSize: maxFrameBytes, autoPing: .disabled))))
            },
            configuration: .init(address: .hostname(config.server.host, port: config.server.port), serverName: "ChatBuddy"),
            services: parts.services,
            onServerRunning: onServerRunning,
            logger: logger)
    }

    /// What an application is made of: its routers and its background services (the HTTP client first).
    struct Parts {
        var router: Router<GatewayRequestContext>
        var socketRouter: Router<WidgetSocketContext>
        var maxFrameBytes: Int
        var services: [any Service]
        /// Shut down by its service when the application stops (a caller that runs no services shuts it down).
        var httpClient: HTTPClient
    }

    /// The routes and services of the configured gateway, on a running, migrated store.
    static func makeParts(config: GatewayConfig, store: any Store, logger: Logger) async throws -> Parts {
        let metrics = GatewayMetrics()
        let resources = try await AgentResources.load(directory: config.agent.templatesDirectory, overlay: config.demoDirectory)

        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5))))
        var senders: [ChatModel.Channel: any ChannelSender] = [:]
        var renderers: [ChatModel.Channel: any ReplyRenderer] = [:]
        var policies: [ChatModel.Channel: DeliveryPolicy] = [:]
        var intakes: [ChatModel.Channel: any WebhookIntake] = [:]
        var inboundSteps: [ChatModel.Channel: any InboundStep] = [:]
        var endpoints: [ChatModel.Channel: [ChannelEndpoint]] = [:]
        let environment = ChannelEnvironment(
            httpClient: httpClient, requestTimeout: TimeAmount(config.delivery.requestTimeout), publicBaseURL: config.server.publicBaseURL,
            maxAttempts: config.delivery.maxAttempts,
            backoff: Backoff(initial: config.delivery.initialBackoff, maximum: config.delivery.maxBackoff))
        // The platform channels from their modules; the website widget is the gateway's own channel (its
        // customers come over the gateway's socket and REST routes, added below), with the same parts.
        let widget = config.widget.map(WidgetChannel.init)
        var channels = config.channels.mapValues { $0.makeParts(environment) }
        channels[.widget] = widget?.parts(environment)
        for (channel, parts) in channels {
            senders[channel] = parts.sender
            renderers[channel] = parts.renderer
            policies[channel] = parts.policy
            intakes[channel] = parts.intake
            inboundSteps[channel] = parts.inboundStep
            endpoints[channel] = parts.endpoints
        }

        let catalog = Catalog(synonyms: resources.searchSynonyms)
        let shop = UNASWebshop(
            catalog: catalog,
            client: config.webshop.apiKey.map { UNASClient(baseURL: config.webshop.apiBaseURL, apiKey: $0, client: httpClient) },
            verifications: OrderVerifications(store: store))
        let agent = try makeAgent(
            config: config.agent, operatorHours: config.operators.hours, resources: resources, shop: shop, httpClient: httpClient, logger: logger)

        let feed = ConsoleFeed()
        let notifier = HandoffNotifier(
            webhookURL: config.operators.notifyWebhookURL, email: config.operators.notifyEmail, publicBaseURL: config.server.publicBaseURL,
            store: store, httpClient: httpClient, emailRenderer: renderers[.email] as? EmailRenderer, emailSender: senders[.email],
            timeout: config.delivery.requestTimeout)
        if config.operators.notifyEmail != nil, senders[.email] == nil {
            logger.warning("operators.notify.email is set but the e-mail channel is not configured; no e-mail will be sent")
        }
        let delivery = DeliveryWorker(
            store: store, senders: senders, policies: policies, metrics: metrics,
            configuration: config.delivery, feed: feed, clock: config.clock, logger: logger)
        let proactive = ProactiveMessenger(
            store: store, settings: config.marketing,
            channels: ProactiveChannels(
                renderers: renderers, policies: policies,
                whatsappTemplates: Set((config.channels[.whatsapp] as? WhatsAppModule)?.templates.byName.keys ?? [:].keys),
                widgetSessions: { [hub = widget?.hub] in Set(await hub?.sessionsWithSockets() ?? []) }),
            composer: ProactiveComposer(templates: resources.templates, cards: ProductCards(resources: resources), shop: shop),
            wake: { await delivery.wake() }, logger: logger)
        let campaigns = CampaignRunner(
            store: store, proactive: proactive, shop: shop, settings: config.marketing, publicBaseURL: config.server.publicBaseURL, logger: logger)
        let jobs = JobWorker(
            store: store, handlers: [notifier, proactive, campaigns], idlePoll: config.jobPollInterval, clock: config.clock, logger: logger)
        let runner = ConversationRunner(
            store: store, agent: agent, renderers: renderers, inboundSteps: inboundSteps, delivery: delivery, feed: feed, notifier: notifier,
            jobs: jobs, metrics: metrics, historyLimit: config.agent.historyLimit, humanIdle: config.agent.humanIdle,
            concurrency: config.agent.concurrency, paused: config.agent.paused, sharedDatabase: store.isShared,
            welcomeBack: { [templates = resources.templates] in templates.text(WidgetLifecycle.welcomeBackTemplate, in: $0) }, logger: logger)
        var inbox = Inbox(store: store, runner: runner, metrics: metrics, senderLimiter: TokenBucketLimiter(config.inbound.senderLimit))
        inbox.feed = feed

        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware(frameAncestors: config.server.frameAncestors))
        router.add(middleware: RequestIDMiddleware())
        let catalogReady = ManagedFlag()
        HealthRoutes(store: store, metrics: metrics, metricsToken: config.server.metricsToken, catalogReady: catalogReady).add(to: router)
        WebhookRoutes(intakes: intakes, publicBaseURL: config.server.publicBaseURL, inbox: inbox, metrics: metrics).add(to: router)
        LinkRoutes(store: store).add(to: router)
        OpenAPIRoutes().add(to: router)
        let adminAuth = AdminAuthMiddleware(apiKey: config.admin.apiKey, sessions: ConsoleSessions(store: store))
        ChannelEndpointRoutes(
            endpoints: endpoints, auth: adminAuth, publicBaseURL: config.server.publicBaseURL, store: store, metrics: metrics
        ).add(to: router)
        AdminRoutes(auth: adminAuth, store: store, delivery: delivery, renderers: renderers, policies: policies, feed: feed).add(to: router)
        CustomerRoutes(auth: adminAuth, store: store).add(to: router)
        CampaignRoutes(auth: adminAuth, store: store, jobs: jobs, clock: config.clock, whatsappTemplates: proactive.channels.whatsappTemplates)
            .add(to: router)
        let shopEvents = ShopEventRecorder(store: store, proactive: proactive, jobs: jobs, clock: config.clock)
        if let secret = config.shopEventsSecret { ShopEventRoutes(events: shopEvents, secret: secret).add(to: router) }
        ConsoleAPIRoutes(
            auth: adminAuth, store: store, shop: shop, feed: feed,
            cannedReplies: try CannedReply.load(directory: "\(config.agent.templatesDirectory)/console")
        ).add(to: router)
        try ConsoleRoutes(
            store: store, templates: "\(config.agent.templatesDirectory)/console", staticDirectory: config.widget?.staticDirectory ?? "public",
            publicBaseURL: config.server.publicBaseURL,
            proxies: TrustedProxies(networks: config.server.trustedProxies.compactMap(IPNetwork.init))
        ).add(to: router)
        CatalogRoutes(auth: adminAuth, catalog: catalog, shop: shop, store: store).add(to: router)
        let catalogSync = CatalogSync(
            catalog: catalog, store: store, feed: config.webshop.feed, interval: config.webshop.syncInterval, ready: catalogReady,
            logger: logger)
        let socketRouter = Router(context: WidgetSocketContext.self)
        var maxFrameBytes = 1 << 14
        if let widget {
            widget.addRoutes(
                to: router, sockets: socketRouter, store: store, inbox: inbox, delivery: delivery, shopEvents: shopEvents, metrics: metrics,
                trustedProxies: config.server.trustedProxies, demoDirectory: config.demoDirectory, logger: logger)
            maxFrameBytes = widget.config.maxFrameBytes
        }

        logger.info(
            "gateway configured",
            metadata: [
                "storage": "\(config.storage.url.hasPrefix("sqlite:") ? "sqlite" : "postgres")",
                "channels": "\(renderers.keys.map(\.rawValue).sorted())",
                "admin_api": "\(config.admin.apiKey == nil ? "closed" : "open")",
                "demo": "\(config.demoDirectory != nil)",
            ])
        var services: [any Service] = [
            HTTPClientService(client: httpClient), delivery, jobs, runner, catalogSync,
            RetentionWorker(store: store, policy: config.retention, logger: logger),
        ]
        if let widget, let renderer = renderers[.widget] {
            services.append(WidgetSocketReaper(hub: widget.hub, idleTimeout: widget.config.socketIdleTimeout, logger: logger))
            services.append(WidgetLifecycle(
                config: widget.config, hub: widget.hub, store: store, renderer: renderer, templates: resources.templates, delivery: delivery,
                logger: logger))
        }
        return Parts(router: router, socketRouter: socketRouter, maxFrameBytes: maxFrameBytes, services: services, httpClient: httpClient)
    }
}

extension Gateway {
    /// The agent graph the configuration asks for: remote, model-written, or embedded.
    static func makeAgent(
        config: GatewayConfig.Agent, operatorHours: OperatorHours?, resources: AgentResources, shop: any Webshop, httpClient: HTTPClient,
        logger: Logger
    ) throws -> any Agent {
        var settings = EmbeddedAgents.Settings()
        settings.operatorHours = operatorHours
        settings.clarifyBelow = config.clarifyBelow
        settings.turnDeadline = config.turnDeadline
        settings.forintsPerEuro = config.forintsPerEuro
        let model = config.model.map {
            ChatCompletionClient(baseURL: $0.baseURL, apiKey: $0.apiKey, model: $0.name, timeout: $0.timeout, client: httpClient)
        }
        let embedded = try EmbeddedAgents.graph(resources: resources, webshop: shop, settings: settings)
        if let remote = config.remote {
            logger.info("agents: remote graph, embedded graph as fallback", metadata: ["url": "\(remote.url.redactedURL)"])
            return RemoteAgent(url: remote.url, timeout: remote.timeout, client: httpClient, fallback: embedded, logger: logger)
        }
        if let model {
            logger.info("agents: embedded graph with a language model writing answers", metadata: ["model": "\(model.model)"])
            return try EmbeddedAgents.graph(resources: resources, webshop: shop, settings: settings, model: model)
        }
        return embedded
    }
}

/// The database named by `storage.url` did not answer at start.
public struct DatabaseUnreachable: Error, CustomStringConvertible {
    public var url: String
    public var limit: Duration

    /// Names the host and port only, never the credentials.
    public var description: String {
        let components = URLComponents(string: url)
        let place = components.flatMap { c in c.host.map { "\($0):\(c.port ?? 5432)" } } ?? "the configured address"
        return "storage.url: the database at \(place) did not answer within \(limit.components.seconds) s"
    }
}
