import Channels
import Testing

@Suite("Text fitting")
struct TextFittingTests {
    @Test func shortTextIsUntouched() {
        #expect(TextFitting.truncate("Szia!", to: 20) == "Szia!")
        #expect(TextFitting.split("Szia!", limit: 20) == ["Szia!"])
    }

    @Test("truncation ends with … and stays within the limit")
    func truncation() {
        let cut = TextFitting.truncate("Kávés bögre piros színben, 300 ml", to: 20)
        #expect(cut.hasSuffix("…"))
        #expect(cut.utf16.count <= 20)
        #expect(cut == "Kávés bögre piros…")
    }

    @Test("never cuts inside a grapheme")
    func graphemes() {
        let family = "👨‍👩‍👧‍👦"  // one grapheme, 11 UTF-16 units
        let text = "ab" + family + family
        for limit in 3...25 {
            let cut = TextFitting.truncate(text, to: limit)
            #expect(cut.utf16.count <= limit)
            #expect(cut.dropLast().allSatisfy { $0 == "a" || $0 == "b" || $0 == Character(family) })
        }
        let flags = "🇭🇺🇭🇺🇭🇺"
        for piece in TextFitting.split(flags, limit: 5) {
            #expect(piece.utf16.count <= 5)
            #expect(piece.unicodeScalars.count % 2 == 0)
        }
        #expect(TextFitting.split(flags, limit: 5).joined() == flags)
    }

    @Test("splits on sentences, then words, never losing text")
    func splitting() {
        let text = "Az első mondat rövid. A második mondat egy kicsit hosszabb ennél! Harmadik?"
        let pieces = TextFitting.split(text, limit: 40)
        #expect(pieces == ["Az első mondat rövid.", "A második mondat egy kicsit hosszabb", "ennél! Harmadik?"])
        let long = String(repeating: "szó ", count: 1000)
        let words = TextFitting.split(long, limit: 2000)
        #expect(words.allSatisfy { $0.utf16.count <= 2000 && !$0.hasPrefix(" ") && !$0.hasSuffix(" ") })
        #expect(words.joined(separator: " ").split(separator: " ").count == 1000)
        let unbroken = String(repeating: "x", count: 45)
        #expect(TextFitting.split(unbroken, limit: 20).map(\.count) == [20, 20, 5])
    }
}
