import HummingbirdCore
import Logging
import NIOCore

/// A server's connections with their receive buffer sized from 512 bytes up instead of NIO's 2 KB: NIO keeps the
/// buffer with the connection between reads, and most reads (widget frames, webhooks) are short, so an idle widget
/// socket holds 1.5 KB less (docs/architecture.md §3.7). A longer read grows it, up to 64 KB.
struct ReceiveSizedChannel<Base: ServerChildChannel>: ServerChildChannel {
    static var receiveAllocator: AdaptiveRecvByteBufferAllocator {
        AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 512, maximum: 65_536)
    }

    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        channel.setOption(ChannelOptions.recvAllocator, value: Self.receiveAllocator).flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
