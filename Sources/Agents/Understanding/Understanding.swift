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
        let slots = self.slots.extract(from: text, normalized: normalized, brands: await brands())
        var turn = Turn(conversation: state, language: language, text: text, normalized: normalized, payload: payload, slots: slots, now: now)
        if payload == nil {
            // With a budget, its words ("max 20e ft", "under 30000") name no product and do not count.
            let named = slots.maxPrice != nil || slots.minPrice != nil
                ? normalized.words.filter { word in !Self.budgetWords.contains(word) && !word.contains(where: \.isNumber) }.joined(separator: " ")
                : text
            turn.catalogCoverage = await nameCoverage(named)
        }
        return turn
    }
}
