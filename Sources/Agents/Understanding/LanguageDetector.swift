import ChatModel
import Foundation

/// Tells Hungarian from English in short customer messages by letters and common words.
public enum LanguageDetector {
    /// The language `text` is written in, or nil when it gives no clear sign (emoji, numbers, one neutral word).
    public static func detect(_ text: String) -> Language? {
        let lowered = text.lowercased()
        var hungarian = 0
        var english = 0
        for scalar in lowered.unicodeScalars {
            if "őű".unicodeScalars.contains(scalar) { hungarian += 3 }
            else if "áéíóöúü".unicodeScalars.contains(scalar) { hungarian += 1 }
        }
        // Customers often type without accents: words are compared folded ("köszönöm" and "koszonom" alike).
        let words = lowered.folding(options: .diacriticInsensitive, locale: nil).split { !$0.isLetter }.map(String.init)
        for word in words {
            if hungarianWords.contains(word) { hungarian += 2 }
            if englishWords.contains(word) { english += 2 }
        }
        if hungarian == english { return nil }
        return hungarian > english ? .hu : .en
    }

    private static let hungarianWords: Set<String> = Set([
        "szia", "sziasztok", "szervusz", "hali", "üdv", "jó", "napot", "reggelt", "estét", "köszönöm",
        "köszi", "kösz", "és", "hogy", "nem", "igen", "van", "vagy", "egy", "ez", "az", "meg", "mi", "mit",
        "mikor", "hol", "hogyan", "mennyi", "kérem", "kérlek", "szeretnék", "rendelés", "rendelésem", "termék",
        "termékek", "ár", "szállítás", "kell", "még", "már", "vagyok", "szépen", "köszönjük", "mennyi", "mennyibe",
        "nincs", "vannak", "milyen", "melyik", "kérek", "szeretném", "ajánlj", "akció", "garancia", "rendelést",
    ].map { $0.folding(options: .diacriticInsensitive, locale: nil) })

    private static let englishWords: Set<String> = [
        "hi", "hello", "hey", "good", "morning", "evening", "thanks", "thank", "you", "the", "and", "are",
        "what", "how", "where", "when", "my", "i", "want", "would", "like", "please", "order", "product",
        "products", "price", "shipping", "do", "does", "can", "have", "need", "an", "it", "this", "that",
    ]
}
