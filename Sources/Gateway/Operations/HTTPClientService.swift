import AsyncHTTPClient
import ServiceLifecycle

/// Shuts the outbound HTTP client down once the senders are done with it.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
