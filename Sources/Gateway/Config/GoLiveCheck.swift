import Channels

/// What `check-config` reports beyond validity: the channels a configuration enables and the
/// mistakes that are valid but wrong for a shop going live.
public enum GoLiveCheck {
    /// The enabled channels: the platforms in `ChannelRegistry` order, then the widget.
    public static func channels(_ config: GatewayConfig) -> [String] {
        let platforms = ChannelRegistry.modules.map { $0.channel }.filter { config.channels[$0] != nil }.map(\.rawValue)
        return platforms + (config.widget == nil ? [] : ["widget"])
    }

    /// Warnings, each one line; empty when nothing looks wrong.
    public static func warnings(_ config: GatewayConfig) -> [String] {
        var warnings: [String] = []
        let platforms = channels(config).filter { $0 != "widget" }
        if platforms.isEmpty {
            warnings.append("no platform channel is enabled: only the website widget answers")
        }
        if config.server.publicBaseURL.hasPrefix("http://"), !platforms.isEmpty {
            warnings.append(
                "server.public_base_url is \(config.server.publicBaseURL): platforms call https addresses, and Twilio signs the exact URL")
        }
        if config.admin.apiKey == nil {
            warnings.append("admin.api_key is empty: the admin API is closed, so operators cannot take over conversations")
        }
        if config.demoDirectory != nil {
            warnings.append("demo content is on (--demo or CHATBUDDY_DEMO): demo offers, shop facts and page; leave it off in production")
        }
        if let feed = config.webshop.feed, feed.hasSuffix(GatewayConfig.demoCatalog) {
            warnings.append("webshop.feed is the shipped sample catalog: set UNAS_FEED to the shop's own feed")
        }
        if config.webshop.feed == nil {
            warnings.append("webshop.feed is empty: the stored catalog is used as it is (set UNAS_FEED to import the shop's feed)")
        }
        if config.server.metricsToken == nil, !["127.0.0.1", "::1", "localhost"].contains(config.server.host) {
            warnings.append("server.metrics_token is empty and the server listens on \(config.server.host): /metrics is open to anyone")
        }
        return warnings
    }
}
