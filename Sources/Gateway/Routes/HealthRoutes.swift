import Hummingbird
import Logging
import Storage

/// `/health` (process alive), `/ready` (store reachable, catalog loaded) and `/metrics` (Prometheus text,
/// behind `metricsToken` when one is set).
struct HealthRoutes {
    let store: any Store
    let metrics: GatewayMetrics
    let metricsToken: String?
    let catalogReady: ManagedFlag

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/health") { _, _ in Self.json(#"{"status":"ok"}"#) }
        router.get("/ready") { _, context in
            guard catalogReady.isSet else {
                throw APIError(.serviceUnavailable, "not_ready", "the catalog is still loading")
            }
            do {
                try await store.ping()
                return Self.json(#"{"status":"ready"}"#)
            } catch {
                context.logger.warning("store unreachable", metadata: ["error": "\(error)"])
                throw APIError(.serviceUnavailable, "not_ready", "the store is unreachable")
            }
        }
        router.get("/metrics") { request, _ in
            if let metricsToken, !request.carriesBearer(metricsToken) {
                throw APIError(.unauthorized, "unauthorized", "a valid bearer token is required for /metrics")
            }
            if let depth = try? await store.outboxDepth() { metrics.outboxDepth(depth) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }

    private static func json(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
