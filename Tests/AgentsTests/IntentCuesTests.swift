@testable import Agents
import Testing

@Suite("Intent cues: one lookup per prefix of a word")
struct IntentCuesTests {
    /// What the cues of `word` are by definition: every intent with a prefix the word begins with.
    static func byDefinition(_ word: String) -> (intents: UInt64, productNoun: Bool) {
        var intents: UInt64 = 0
        for (index, entry) in IntentCues.byIntent.enumerated() where entry.prefixes.contains(where: { word.hasPrefix($0) }) {
            intents |= 1 << UInt64(index)
        }
        return (intents, IntentCues.productNouns.contains(where: { word.hasPrefix($0) }))
    }

    @Test("the lookup finds exactly the cues whose prefixes begin the word")
    func sameAsDefinition() {
        let cues = IntentCues.byIntent.flatMap(\.prefixes) + IntentCues.productNouns
        // Every cue alone, with an ending, cut short by a letter, and words that begin with none.
        var words = cues + cues.map { $0 + "eket" } + cues.map { String($0.dropLast()) }
        words += ["", "x", "zzz", "rendelesemet", "visszakuldeni", "telefonomhoz", "orarend", "hianyzik", "árát", "e\u{301}"]
        for word in words {
            let found = IntentCues.cues(of: word)
            let expected = Self.byDefinition(word)
            #expect(found.intents == expected.intents, "\(word)")
            #expect(found.productNoun == expected.productNoun, "\(word)")
        }
        // The lookup finds each cue's own intent and each product noun, whatever the definition above says.
        for (index, entry) in IntentCues.byIntent.enumerated() {
            for prefix in entry.prefixes {
                #expect(IntentCues.cues(of: prefix + "ok").intents & (1 << UInt64(index)) != 0, "\(prefix): \(entry.intent)")
            }
        }
        for noun in IntentCues.productNouns { #expect(IntentCues.cues(of: noun).productNoun, "\(noun)") }
    }
}
