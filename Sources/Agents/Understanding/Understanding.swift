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
        if payload == nil { turn.catalogCoverage = await nameCoverage(text) }
        return turn
    }
}
