import ChatModel
import Foundation

/// The built-in agent until the agent graph lands: greets, thanks, says plainly what it is and what it
/// cannot do yet, and repeats a tapped choice in words, in the customer's language.
public struct GeneralAgent: Agent {
    /// The template names this agent renders; every language folder must have them.
    public static let templateNames = [
        "greeting", "thanks", "bot_identity", "choice", "attachment", "location", "fallback",
        "menu_products", "menu_order", "menu_contact",
    ]

    /// Answers at or above this confidence are ones the agent recognised (not its fallback).
    public static let recognised = 0.5

    private let templates: ReplyTemplates

    public init(templates: ReplyTemplates) {
        self.templates = templates
    }

    public func respond(to state: ConversationState) async throws -> AgentResponse {
        let language = state.locale ?? .hu
        switch state.event.content {
        case .quickReply(let title, _), .postback(let title, _, _):
            return sure(Reply(text: templates.text("choice", in: language, ["title": title])))
        case .attachments:
            return sure(Reply(text: templates.text("attachment", in: language)))
        case .location(let location):
            return sure(Reply(text: templates.text("location", in: language, ["name": location.name ?? ""])))
        case .referral:
            return sure(greeting(language))
        case .text(let text):
            return answer(text, language: language, isFirstMessage: state.history.isEmpty)
        case .reaction, .receipt, .echo:
            return .silent(.general)
        }
    }

    private func sure(_ reply: Reply) -> AgentResponse {
        AgentResponse(replies: [reply], agent: .general, confidence: 1)
    }

    /// Keyword matches are confident; the fallback says the agent did not understand.
    private func answer(_ text: String, language: Language, isFirstMessage: Bool) -> AgentResponse {
        let words = Set(Self.words(text))
        if !words.isDisjoint(with: Self.botQuestionWords) {
            return AgentResponse(replies: [Reply(text: templates.text("bot_identity", in: language))], agent: .general, confidence: 0.9)
        }
        if !words.isDisjoint(with: Self.thanksWords) || Self.hasPhrase(text, Self.thanksPhrases) {
            return AgentResponse(replies: [Reply(text: templates.text("thanks", in: language))], agent: .general, confidence: 0.9)
        }
        if !words.isDisjoint(with: Self.greetingWords) || Self.hasPhrase(text, Self.greetingPhrases) || text.isEmpty {
            return AgentResponse(replies: [greeting(language)], agent: .general, confidence: 0.9)
        }
        let fallback = templates.text("fallback", in: language)
        let reply = isFirstMessage ? Reply(text: fallback, quickReplies: menu(language)) : Reply(text: fallback)
        return AgentResponse(replies: [reply], agent: .general, confidence: 0.2)
    }

    private func greeting(_ language: Language) -> Reply {
        Reply(text: templates.text("greeting", in: language), quickReplies: menu(language))
    }

    private func menu(_ language: Language) -> [QuickReply] {
        [
            QuickReply(title: templates.text("menu_products", in: language), payload: "MENU_PRODUCTS"),
            QuickReply(title: templates.text("menu_order", in: language), payload: "MENU_ORDER"),
            QuickReply(title: templates.text("menu_contact", in: language), payload: "MENU_CONTACT"),
        ]
    }

    private static func words(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split { !$0.isLetter }.map(String.init)
    }

    private static func hasPhrase(_ text: String, _ phrases: [String]) -> Bool {
        let folded = words(text).joined(separator: " ")
        return phrases.contains { " \(folded) ".contains(" \($0) ") }
    }

    // Folded (lower case, no accents) so "Köszönöm" and "koszonom" both match.
    private static let greetingWords: Set<String> = [
        "szia", "sziasztok", "szevasz", "szervusz", "hello", "hallo", "hali", "udv", "udvozlom", "hi", "hey", "hiya",
    ]
    private static let greetingPhrases = [
        "jo napot", "jo reggelt", "jo estet", "good morning", "good afternoon", "good evening",
    ]
    private static let thanksWords: Set<String> = ["koszonom", "koszi", "kosz", "koszonjuk", "thanks", "thx", "ty"]
    private static let thanksPhrases = ["thank you", "koszonom szepen"]
    private static let botQuestionWords: Set<String> = ["bot", "robot", "chatbot", "ai", "automata"]
}
