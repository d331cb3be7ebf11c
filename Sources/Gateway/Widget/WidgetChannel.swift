import Channels
import Foundation
import Hummingbird
import Logging
import Storage

/// The website widget as a channel: the gateway's own, so its customers reach it over the gateway's
/// socket and REST routes instead of a platform's webhook; otherwise it has the parts every channel has.
struct WidgetChannel {
    let config: GatewayConfig.Widget
    let hub: WidgetHub

    init(config: GatewayConfig.Widget) {
        self.config = config
        self.hub = WidgetHub(limits: config.socketLimits)
    }

    /// Its renderer, sender and delivery policy (no webhook).
    func parts(_ environment: ChannelEnvironment) -> ChannelParts {
        ChannelParts(intake: nil, renderer: WidgetRenderer(), sender: WidgetSender(hub: hub), policy: environment.policy())
    }

    /// The socket, the REST turn, `widget.js` and, with the demo content, the demo pages.
    func addRoutes(
        to router: Router<GatewayRequestContext>, sockets socketRouter: Router<WidgetSocketContext>, store: any Store, inbox: Inbox,
        delivery: DeliveryWorker, shopEvents: ShopEventRecorder?, metrics: GatewayMetrics, trustedProxies: [String], demoDirectory: String?,
        logger: Logger
    ) {
        let sessions = WidgetSessions(
            config: config, hub: hub, store: store, inbox: inbox, delivery: delivery, shopEvents: shopEvents, metrics: metrics)
        let routes = WidgetRoutes(sessions: sessions, proxies: TrustedProxies(networks: trustedProxies.compactMap(IPNetwork.init)))
        routes.add(to: router)
        routes.add(to: socketRouter)
        if FileManager.default.fileExists(atPath: config.staticDirectory) {
            router.add(middleware: FileMiddleware(config.staticDirectory, searchForIndexHtml: true, logger: logger))
        } else {
            logger.warning("widget static folder not found; /widget.js answers 404", metadata: ["folder": "\(config.staticDirectory)"])
        }
        if let demoDirectory {
            router.add(middleware: FileMiddleware("\(demoDirectory)/public", searchForIndexHtml: true, logger: logger))
        }
    }
}
