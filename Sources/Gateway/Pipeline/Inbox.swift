import ChatModel
import Foundation
import Storage

/// Where verified webhook events enter: stored (and deduplicated) before the webhook is acknowledged,
/// then handed to the conversation runner.
public struct Inbox: Sendable {
    let store: any Store
    let runner: ConversationRunner
    let metrics: GatewayMetrics

    /// Stores the events in one transaction and schedules their conversations; throws when nothing could be stored.
    func accept(_ events: [InboundEvent], channel: Channel) async throws -> AcceptOutcome {
        let outcome = try await store.accept(events, receivedAt: Date())
        runner.schedule(outcome.conversationsToRun)
        metrics.inboundEvents(channel, result: "stored", count: outcome.stored)
        metrics.inboundEvents(channel, result: "duplicate", count: outcome.duplicates)
        metrics.inboundEvents(channel, result: "receipt", count: outcome.receipts)
        metrics.inboundEvents(channel, result: "receipt_unknown", count: outcome.unknownReceipts)
        metrics.inboundEvents(channel, result: "echo", count: outcome.echoes)
        return outcome
    }
}
