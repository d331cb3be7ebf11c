import Agents
import AsyncHTTPClient
import Channels
import ChatModel
import Hummingbird
import Logging
import NIOCore
import Storage

/// Builds the whole server (store, runner, delivery, routes) from a configuration.
public enum Gateway {
    /// The application, ready to `runService()`; the store is opened and migrated first.
    public static func makeApplication(
        config: GatewayConfig,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any NIOCore.Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let store = try await SQLStore.open(url: config.storage.url, logger: logger)
        return try await makeApplication(config: config, store: store, logger: logger, onServerRunning: onServerRunning)
    }

    /// The application on an already opened store (migrated here).
    public static func makeApplication(
        config: GatewayConfig,
        store: any Store,
        logger: Logger,
        onServerRunning: @escaping @Sendable (any NIOCore.Channel) async -> Void = { _ in }
    ) async throws -> some ApplicationProtocol {
        let storeService = StoreService(store: store)
        // PostgreSQL needs its pool running before the migrations can talk to it.
        let migrations = Task { try await store.migrate() }
        let storeRun = Task { await store.run() }
        let applied: [Int]
        do {
            applied = try await migrations.value
        } catch {
            storeRun.cancel()
            throw error
        }
        storeRun.cancel()
        await storeRun.value
        if !applied.isEmpty { logger.info("database migrated", metadata: ["versions": "\(applied)"]) }

        let metrics = GatewayMetrics()
        let templates = try await ReplyTemplates(directory: config.agent.templatesDirectory, required: GeneralAgent.templateNames)
        let agent = GeneralAgent(templates: templates)

        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(timeout: .init(connect: .seconds(5))))
        var senders: [ChatModel.Channel: any ChannelSender] = [:]
        var renderers: [ChatModel.Channel: any ReplyRenderer] = [:]
        if let messenger = config.messenger {
            senders[.messenger] = MessengerSender(
                client: httpClient, graphBaseURL: messenger.graphBaseURL, pageAccessToken: messenger.pageAccessToken,
                timeout: .nanoseconds(config.delivery.requestTimeout.nanoseconds))
            renderers[.messenger] = MessengerRenderer(profile: messenger.profile)
        }

        let delivery = DeliveryWorker(
            store: store, senders: senders, metrics: metrics, configuration: config.delivery, logger: logger)
        let runner = ConversationRunner(
            store: store, agent: agent, renderers: renderers, delivery: delivery, metrics: metrics,
            historyLimit: config.agent.historyLimit, concurrency: config.agent.concurrency, logger: logger)
        let inbox = Inbox(store: store, runner: runner, metrics: metrics)

        let router = Router(context: GatewayRequestContext.self)
        router.add(middleware: RequestIDMiddleware())
        HealthRoutes(store: store, metrics: metrics).add(to: router)
        MessengerRoutes(config: config.messenger, inbox: inbox, metrics: metrics).add(to: router)
        AdminRoutes(apiKey: config.admin.apiKey, store: store).add(to: router)

        logger.info(
            "gateway configured",
            metadata: [
                "storage": "\(config.storage.url.hasPrefix("sqlite:") ? "sqlite" : "postgres")",
                "channels": "\(renderers.keys.map(\.rawValue).sorted())",
                "admin_api": "\(config.admin.apiKey == nil ? "closed" : "open")",
            ])
        // Shut down in reverse: server, runner (finishes its events), delivery (finishes its sends), HTTP client, store.
        return Application(
            router: router,
            configuration: .init(address: .hostname(config.server.host, port: config.server.port), serverName: "ChatBuddy"),
            services: [storeService, HTTPClientService(client: httpClient), delivery, runner],
            onServerRunning: onServerRunning,
            logger: logger)
    }
}
