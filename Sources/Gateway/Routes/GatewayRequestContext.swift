import Hummingbird

/// The request context of every route: Hummingbird's core plus the request id.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The `X-Request-ID` of this request (the caller's, if it sent a sane one).
    public var requestID = ""

    public init(source: Source) {
        coreContext = .init(source: source)
    }
}
