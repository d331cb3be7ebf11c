import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of the widget's socket upgrade: the router's core, the socket handler and the client's address.
struct WidgetSocketContext: RequestContext, WebSocketRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let webSocket: WebSocketHandlerReference<WidgetSocketContext>
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress
    }
}
