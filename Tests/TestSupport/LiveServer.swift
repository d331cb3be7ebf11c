import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Runs a Hummingbird application on a real socket for the length of a test.
public enum LiveServer {
    /// Builds the application with a server-running hook, starts it, runs `body` with its port, then
    /// shuts it down gracefully (as SIGTERM would) and waits until it has stopped.
    public static func run<App: ApplicationProtocol, T: Sendable>(
        _ makeApp: (@escaping @Sendable (any Channel) async -> Void) async throws -> App,
        _ body: (Int) async throws -> T
    ) async throws -> T {
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try await makeApp { channel in
            continuation.yield(channel.localAddress?.port ?? 0)
            continuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [app], logger: TestDatabase.logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw ServerDidNotStart() }
            do {
                let result = try await body(port)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    struct ServerDidNotStart: Error {}
}
