import ChatModel
import Foundation

/// Reads a turn's event: the language, the normalized words, the slots, the tapped payload.
public struct Understanding: Sendable {
    public let classifier: IntentClassifier
    public let slots: SlotExtractor
    private let brands: @Sendable () async -> Set<String>
    private let nameCoverage: @Sendable (String) async -> Double

    /// `brands` gives the catalog's folded brand names at the time of the turn; `nameCoverage` how much of a
    /// text names a product in it.
    public init(
        classifier: IntentClassifier = .builtIn, slots: SlotExtractor = SlotExtractor(),
        brands: @escaping @Sendable () async -> Set<String> = { [] },
        nameCoverage: @escaping @Sendable (String) async -> Double = { _ in 0 }
    ) {
        self.classifier = classifier
        self.slots = slots
        self.brands = brands
        self.nameCoverage = nameCoverage
    }

    /// Words of a budget, folded.
    static let budgetWords = RecommendationNode.moneyWords.union([
        "max", "maximum", "maximalisan", "legfeljebb", "alatt", "ig", "kozott", "felett", "tol", "under", "below", "between", "above",
        "from", "to", "budget", "keret", "kellene", "kell",
    ])

    /// The turn for the event of `state`, before any node ran.
    public func turn(for state: ConversationState, now: Date = Date()) async -> Turn {
        var payload: String?
        var text = ""
        switch state.event.content {
        case .text(let words): text = words
        case .quickReply(let title, let tapped): (text, payload) = (title, tapped)
        case .postback(let title, let tapped, _): (text, payload) = (title, tapped)
        case .attachments(_, let caption): text = caption ?? ""
        default: break
        }
        // The gateway detects the turn's language once, before the agents (docs/architecture.md §1); a state
        // built without one (a test, a tool) is detected here.
        let language = state.locale ?? LanguageDetector.detect(text) ?? .hu
        let normalized = TextNormalizer.normalize(text)
        var slots = self.slots.extract(from: text, normalized: normalized, brands: await brands())
        var coverage = 0.0
        if payload == nil {
            coverage = await nameCoverage(text)
            if slots.maxPrice != nil || slots.minPrice != nil {
                if coverage >= 1 {
                    // The money is part of a product's name ("Ajándékkártya 10 000 Ft"), not a budget.
                    (slots.minPrice, slots.maxPrice) = (nil, nil)
                } else {
                    // A budget's words ("max 20e ft", "under 30000") name no product and do not count.
                    let named = normalized.words.filter { word in !Self.budgetWords.contains(word) && !word.contains(where: \.isNumber) }
                    coverage = await nameCoverage(named.joined(separator: " "))
                }
            }
        }
        var turn = Turn(conversation: state, language: language, text: text, normalized: normalized, payload: payload, slots: slots, now: now)
        turn.catalogCoverage = coverage
        return turn
    }
}
