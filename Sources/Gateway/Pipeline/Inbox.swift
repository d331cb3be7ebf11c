import ChatModel
import Foundation
import Storage

/// Where verified webhook events enter: stored (and deduplicated) before the webhook is acknowledged,
/// then handed to the conversation runner.
public struct Inbox: Sendable {
    let store: any Store
    let runner: ConversationRunner
    let metrics: GatewayMetrics
    /// Messages one sender may send on one channel (a number or a bot in a loop cannot flood the store).
    let senderLimiter: TokenBucketLimiter
    /// Open consoles, told of every new customer message.
    var feed: ConsoleFeed? = nil

    /// Stores the events in one transaction and schedules their conversations; throws when nothing could be
    /// stored. A sender's messages over its rate are acknowledged with the rest but not stored.
    func accept(_ events: [InboundEvent], channel: Channel) async throws -> AcceptOutcome {
        let admitted = events.filter { event in
            guard event.content.isConversational else { return true }
            let conversation = event.conversation
            return senderLimiter.take("\(conversation.channel.rawValue):\(conversation.accountID):\(conversation.userID)") == nil
        }
        if admitted.count < events.count {
            metrics.inboundEvents(channel, result: "rate_limited", count: events.count - admitted.count)
        }
        let outcome = try await store.accept(admitted, receivedAt: Date())
        runner.schedule(outcome.conversationsToRun)
        for conversation in outcome.conversationsToRun { feed?.publish(ConsoleEvent(type: .message, conversationID: conversation)) }
        for conversation in outcome.conversationsTakenOver { feed?.publish(ConsoleEvent(type: .conversation, conversationID: conversation)) }
        if outcome.receipts > 0 || outcome.confirmations > 0 { feed?.publish(ConsoleEvent(type: .status, conversationID: nil)) }
        metrics.inboundEvents(channel, result: "stored", count: outcome.stored)
        metrics.inboundEvents(channel, result: "duplicate", count: outcome.duplicates)
        metrics.inboundEvents(channel, result: "receipt", count: outcome.receipts)
        metrics.inboundEvents(channel, result: "receipt_unknown", count: outcome.unknownReceipts)
        metrics.inboundEvents(channel, result: "echo", count: outcome.echoes)
        if outcome.confirmations > 0 { metrics.sendsInDoubt(channel, result: "confirmed", count: outcome.confirmations) }
        return outcome
    }
}
