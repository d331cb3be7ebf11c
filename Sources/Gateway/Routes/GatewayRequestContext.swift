import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's core, the request id and the client's address.
public struct GatewayRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `X-Request-ID` of this request (the caller's, if it sent a sane one).
    public var requestID = ""
    /// The peer's address (of a proxy, when the gateway runs behind one).
    public let remoteAddress: SocketAddress?
    /// Who an admin request acts for, once the admin middleware let it in.
    var actor: AdminActor?

    public init(source: Source) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
