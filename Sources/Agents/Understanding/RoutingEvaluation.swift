import ChatModel
import Foundation

/// How well the coordinator routes labeled messages it was not trained on, each as the first message of
/// a new conversation.
public struct RoutingEvaluation: Sendable {
    public var correct: Int
    public var total: Int
    /// The messages routed elsewhere, with the node chosen (`clarify` when the coordinator asked).
    public var misses: [(message: LabeledMessage, routed: String)]

    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Routes every message of `messages` with a coordinator using `classifier` and the clarification threshold.
    public static func run(_ messages: [LabeledMessage], classifier: IntentClassifier, clarifyBelow: Double = 0.3) async -> RoutingEvaluation {
        let understanding = Understanding(classifier: classifier)
        let resources = AgentResources(
            templates: ReplyTemplates.empty, knowledge: [:], offers: ShopOffers())
        let coordinator = Coordinator(classifier: classifier, resources: resources, threshold: clarifyBelow)
        var evaluation = RoutingEvaluation(correct: 0, total: 0, misses: [])
        let key = ConversationKey(channel: .widget, accountID: "evaluation", userID: "evaluation")
        for message in messages {
            let state = ConversationState(
                key: key, mode: .bot, locale: nil, history: [],
                event: InboundEvent(conversation: key, platformID: "m", timestamp: Date(), content: .text(message.text)))
            let route = coordinator.decide(await understanding.turn(for: state))
            evaluation.total += 1
            if route.node == message.intent { evaluation.correct += 1 } else { evaluation.misses.append((message, route.node)) }
        }
        return evaluation
    }
}
