import ChatModel
import Foundation

/// Renders an answer for the website widget: one `chat_response` per answered event, holding every reply
/// of the answer (texts joined by a blank line, quick replies and cards in order), since the widget
/// shows everything the neutral model can say.
public struct WidgetRenderer: ReplyRenderer {
    public init() {}

    public func render(_ response: AgentResponse, context: ReplyContext) -> Rendering {
        guard !response.replies.isEmpty else { return Rendering() }
        let reply = Self.merge(response.replies)
        let payload = WidgetReply(
            inReplyTo: WidgetMessageID.clientPart(of: context.inReplyTo, session: context.conversation.userID),
            content: reply.text ?? "",
            agentType: response.agent,
            confidence: response.confidence,
            processingTime: context.processingTime / .seconds(1),
            language: context.language,
            reply: reply,
            nodes: response.trace.isEmpty ? nil : response.trace)
        guard let data = try? WidgetFrameCoding.encoder.encode(payload) else { return Rendering() }
        return Rendering(messages: [
            RenderedMessage(kind: "chat_response", text: reply.text, payload: String(decoding: data, as: UTF8.self))
        ])
    }

    /// Several replies as one: texts joined by a blank line, lists concatenated, the first template and media.
    static func merge(_ replies: [Reply]) -> Reply {
        guard replies.count > 1 else { return replies[0] }
        let texts = replies.compactMap(\.text).filter { !$0.isEmpty }
        let quickReplies = replies.flatMap { $0.quickReplies ?? [] }
        let cards = replies.flatMap { $0.cards ?? [] }
        return Reply(
            text: texts.isEmpty ? nil : texts.joined(separator: "\n\n"),
            quickReplies: quickReplies.isEmpty ? nil : quickReplies,
            cards: cards.isEmpty ? nil : cards,
            template: replies.lazy.compactMap(\.template).first,
            media: replies.lazy.compactMap(\.media).first)
    }
}
