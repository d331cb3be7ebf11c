import NIOCore
import NIOPosix

/// A server on 127.0.0.1 that reads a request's first bytes and resets the connection (an RST, not a
/// clean close), as a crashing or misbehaving platform would.
public enum ResettingServer {
    public static func run<T: Sendable>(_ body: (String) async throws -> T) async throws -> T {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(ResetOnRead()) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        do {
            let result = try await body("http://127.0.0.1:\(channel.localAddress?.port ?? 0)")
            try await channel.close()
            return result
        } catch {
            try? await channel.close()
            throw error
        }
    }

    private final class ResetOnRead: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            // With SO_LINGER 0, closing sends RST.
            let channel = context.channel
            guard let provider = channel as? any SocketOptionProvider else { return channel.close(promise: nil) }
            provider.setSoLinger(linger(l_onoff: 1, l_linger: 0)).whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
