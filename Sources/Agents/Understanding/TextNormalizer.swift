import Webshop

/// A customer's message folded for matching: lower case, no accents, emoji and common misspellings and
/// chat abbreviations replaced by words, letters repeated for emphasis ("sziaaa") reduced.
public struct NormalizedText: Sendable, Hashable {
    public var words: [String]
    /// `words` joined by single spaces.
    public var folded: String { words.joined(separator: " ") }

    /// Whether one of `words` occurs, or one of them starts one of the message's words.
    public func contains(anyPrefix prefixes: some Sequence<String>) -> Bool {
        prefixes.contains { prefix in words.contains { $0.hasPrefix(prefix) } }
    }

    /// Whether `phrase` (folded words) occurs as consecutive words.
    public func contains(phrase: String) -> Bool {
        let parts = phrase.split(separator: " ")
        guard !parts.isEmpty, parts.count <= words.count else { return false }
        return (0...(words.count - parts.count)).contains { start in
            parts.indices.allSatisfy { words[start + $0] == parts[$0] }
        }
    }
}

/// Turns raw customer text into `NormalizedText`.
public enum TextNormalizer {
    public static func normalize(_ text: String) -> NormalizedText {
        var expanded = ""
        expanded.reserveCapacity(text.utf8.count)
        for character in text {
            if let words = emoji[character] {
                expanded += " \(words) "
            } else {
                expanded.append(character)
            }
        }
        var words: [String] = []
        for word in TextFolding.words(expanded) {
            let squeezed = squeeze(word)
            if let replacement = corrections[squeezed] {
                words.append(contentsOf: replacement.split(separator: " ").map(String.init))
            } else {
                words.append(squeezed)
            }
        }
        return NormalizedText(words: words)
    }

    /// Letters repeated three or more times kept once ("sziaaaa" → "szia").
    static func squeeze(_ word: String) -> String {
        guard word.count > 3, !word.contains(where: \.isNumber) else { return word }
        var result = ""
        var last: Character?
        var run = 0
        for character in word {
            if character == last {
                run += 1
            } else {
                run = 1
                last = character
            }
            if run <= 2 { result.append(character) }
        }
        // "sziaa" → "szia" only when the doubled letter ends the word and is a vowel no word ends in twice
        // (English ends in "ee" and "oo": "coffee", "too").
        if result.count > 3, let final = result.last, "aiu".contains(final), result.dropLast().last == final {
            result.removeLast()
        }
        return result
    }

    /// Emoji customers use in shop chats, as the words they stand for.
    static let emoji: [Character: String] = [
        "👋": "szia hello", "🙏": "koszonom thanks", "👍": "rendben ok", "👌": "rendben ok",
        "❤️": "koszonom thanks", "😊": "", "🙂": "", "😀": "", "❓": "", "😡": "duhos angry", "🤬": "duhos angry",
        "😠": "duhos angry", "📦": "csomag package", "🚚": "szallitas delivery", "💳": "fizetes payment",
        "🎁": "ajandek gift", "🛒": "kosar cart", "🤖": "bot",
    ]

    /// Misspellings and chat shorthand, folded, with what was meant.
    static let corrections: [String: String] = [
        "pls": "please", "plz": "please", "thx": "thanks", "ty": "thanks", "u": "you", "ur": "your", "asap": "now",
        "h": "hogy", "vmi": "valami", "vmit": "valamit", "vki": "valaki", "vkivel": "valakivel", "sztem": "szerintem",
        "ksz": "koszi", "kszi": "koszi", "kosz": "koszi", "koszoni": "koszonom", "nemtom": "nem tudom",
        "nemtudom": "nem tudom", "aszem": "azt hiszem", "rendelsem": "rendelesem", "rendelesm": "rendelesem",
        "rendelsemet": "rendelesemet", "csomgom": "csomagom", "szalitas": "szallitas", "szalitasi": "szallitasi",
        "emebr": "ember", "embr": "ember", "kerk": "kerek", "kuponkod": "kupon kod", "kuponkodom": "kupon kodom",
        "kuponkodot": "kupon kodot", "telo": "telefon", "telot": "telefont", "ordr": "order", "oder": "order",
        "pakage": "package", "packege": "package", "adress": "address", "recomend": "recommend",
        "reccomend": "recommend", "sugest": "suggest", "discunt": "discount", "newsleter": "newsletter",
        "unsubscibe": "unsubscribe", "subscibe": "subscribe", "humen": "human",
    ]
}
