import ChatModel

/// Greetings, thanks, opening hours, payment and shipping, returns, contact and "are you a bot?", from the
/// knowledge file; a polite fallback with the main menu when nothing matches.
struct GeneralNode: AgentNode {
    let name = AgentType.general.rawValue
    let resources: AgentResources

    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.answeredBy = .general
        turn.memory.awaiting = nil
        let language = turn.language
        let knowledge = resources.knowledge[language]
        switch turn.conversation.event.content {
        case .attachments(let attachments, let caption) where (caption ?? "").isEmpty:
            if attachments.allSatisfy({ $0.kind == .unknown }) {
                // A kind of message the platform could not show us: said once per conversation, then silence.
                guard !turn.memory.toldUnsupported else { return NodeStep("unsupported:silent", next: nil) }
                turn.memory.toldUnsupported = true
                turn.say(resources.text("unsupported", language))
                return NodeStep("unsupported", next: "output_guardrails")
            }
            turn.say(resources.text("attachment", language))
            return NodeStep("attachment", next: "output_guardrails")
        case .location(let location):
            turn.say(resources.text("location", language, ["name": location.name ?? ""]))
            return NodeStep("location", next: "output_guardrails")
        case .referral:
            return answer(knowledge?.topic(named: "greeting"), &turn)
        case .quickReply, .postback:
            if turn.payload == "MENU_CONTACT" { return answer(knowledge?.topic(named: "contact"), &turn) }
            if let topic = knowledge?.topic(for: turn.normalized) { return answer(topic, &turn) }
            turn.say(resources.text("choice", language, ["title": turn.text]))
            return NodeStep("choice", next: "output_guardrails")
        default:
            if turn.normalized.words.isEmpty { return answer(knowledge?.topic(named: "greeting"), &turn) }
            return answer(knowledge?.topic(for: turn.normalized), &turn)
        }
    }

    private func answer(_ topic: Knowledge.Topic?, _ turn: inout Turn) -> NodeStep {
        guard let topic else {
            turn.say(resources.text("fallback", turn.language), quickReplies: menu(turn.language))
            turn.confidence = min(turn.confidence, 0.3)
            return NodeStep("fallback", next: "output_guardrails")
        }
        turn.say(topic.answer, quickReplies: topic.menu ? menu(turn.language) : nil)
        return NodeStep("topic:\(topic.name)", next: "output_guardrails")
    }

    func menu(_ language: Language) -> [QuickReply] {
        [
            QuickReply(title: resources.text("menu_products", language), payload: "MENU_PRODUCTS"),
            QuickReply(title: resources.text("menu_order", language), payload: "MENU_ORDER"),
            QuickReply(title: resources.text("menu_contact", language), payload: "MENU_CONTACT"),
        ]
    }
}
