import Logging
import ServiceLifecycle

/// Closes the widget sockets whose page sent nothing for `widget.socket_idle_seconds`: one sweep of the hub
/// for every socket, instead of a timer held by each.
struct WidgetSocketReaper: Service {
    let hub: WidgetHub
    let idleTimeout: Duration
    let logger: Logger

    func run() async throws {
        // A socket is closed at most a quarter of its idle time late (and never more than 5 s).
        let period = min(max(idleTimeout / 4, .milliseconds(250)), .seconds(5))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let closed = hub.closeSilent(for: idleTimeout)
                if closed > 0 { logger.debug("silent widget sockets told to close", metadata: ["sockets": "\(closed)"]) }
                try? await Task.sleep(for: period)
            }
        }
    }
}
