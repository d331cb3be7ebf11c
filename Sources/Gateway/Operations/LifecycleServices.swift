import AsyncHTTPClient
import ServiceLifecycle
import Storage

/// Keeps the store's background work running and closes the store after everything else has stopped.
struct StoreService: Service {
    let store: any Store

    func run() async throws {
        async let background: Void = store.run()
        try? await gracefulShutdown()
        _ = await background
        try await store.close()
    }
}

/// Shuts the outbound HTTP client down once the senders are done with it.
struct HTTPClientService: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
