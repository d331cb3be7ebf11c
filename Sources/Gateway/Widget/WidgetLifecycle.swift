import Agents
import Channels
import ChatModel
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Idle widget conversations: one gentle nudge (`widget_nudge` in the customer's language) after
/// `widget.idle_nudge_seconds` of silence following our answer while the widget is open, and closing after
/// `widget.close_after_minutes` without activity, so the next message starts a new conversation with a greeting.
struct WidgetLifecycle: Service {
    let config: GatewayConfig.Widget
    let hub: WidgetHub
    let store: any Store
    let renderer: any ReplyRenderer
    let templates: ReplyTemplates
    let delivery: DeliveryWorker
    let logger: Logger

    /// The template of the nudge, and of the greeting that opens a conversation after a closed one.
    static let nudgeTemplate = "widget_nudge"
    static let welcomeBackTemplate = "widget_welcome_back"

    func run() async throws {
        guard config.idleNudge != nil || config.closeAfter != nil else { return }
        // Often enough that a nudge comes within a quarter of its wait, and closing within a few seconds.
        let period = config.idleNudge.map { min(max($0 / 4, .milliseconds(250)), .seconds(5)) } ?? .seconds(5)
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await tick(now: Date())
                try? await Task.sleep(for: period)
            }
        }
    }

    /// Nudges the conversations gone quiet and closes the idle ones, as of `now`.
    func tick(now: Date) async {
        do {
            if let wait = config.idleNudge {
                var nudged = 0
                let quiet = try await store.silentConversations(
                    .widget, account: config.accountID, users: hub.sessionsWithSockets(), answeredBefore: now.addingTimeInterval(-(wait / .seconds(1))))
                for conversation in quiet where try await nudge(conversation, at: now) { nudged += 1 }
                if nudged > 0 { await delivery.wake() }
            }
            if let idle = config.closeAfter {
                let closed = try await store.closeIdleConversations(
                    .widget, idleSince: now.addingTimeInterval(-(idle / .seconds(1))), limit: 200, at: now)
                if closed > 0 { logger.info("idle widget conversations closed", metadata: ["count": "\(closed)"]) }
            }
        } catch {
            logger.warning("cannot look after idle widget conversations; trying again", metadata: ["error": "\(error)"])
        }
    }

    /// Stores the nudge of one silence (once across gateways: its key names the answer it follows).
    private func nudge(_ conversation: SilentConversation, at now: Date) async throws -> Bool {
        let language = conversation.locale ?? .hu
        let text = templates.text(Self.nudgeTemplate, in: language)
        guard !text.isEmpty else { return false }
        let context = ReplyContext(conversation: conversation.key, inReplyTo: "", language: language, processingTime: .zero)
        guard let message = renderer.render(AgentResponse(replies: [Reply(text: text)], agent: .general, confidence: 1), context: context)
            .messages.first
        else { return false }
        let draft = OutboundDraft(
            kind: SilentConversation.nudgeKind, text: message.text, payload: message.payload,
            idempotencyKey: "nudge:\(conversation.lastMessageID.rawValue)")
        return try await store.enqueueOnce(draft, conversationID: conversation.conversationID, key: conversation.key, at: now)
    }
}
