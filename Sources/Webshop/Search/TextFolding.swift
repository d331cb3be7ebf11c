import Foundation

/// Search text folding: lowercase, accents removed ("Kávéfőző" → "kavefozo"), split into words of letters and digits.
public enum TextFolding {
    /// The folded words of `text`, in order.
    public static func words(_ text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if append(scalar, to: &current) { continue }
            if !current.isEmpty {
                words.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { words.append(String(current)) }
        return words
    }

    /// The folded words of `text`, joined by single spaces.
    public static func fold(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// Appends the folded form of a letter or digit; false for anything else (a word boundary).
    private static func append(_ scalar: Unicode.Scalar, to word: inout String.UnicodeScalarView) -> Bool {
        let value = scalar.value
        switch value {
        case 0x61...0x7A, 0x30...0x39:
            word.append(scalar)
            return true
        case 0x41...0x5A:
            word.append(Unicode.Scalar(value + 0x20)!)
            return true
        case 0..<0x80:
            return false
        case latinStart..<latinEnd:
            let folded = latin[Int(value - latinStart)]
            guard !folded.isEmpty else { return false }
            word.append(contentsOf: folded.unicodeScalars)
            return true
        default:
            guard scalar.properties.isAlphabetic || scalar.properties.numericType != nil else { return false }
            word.append(contentsOf: slowFold(scalar).unicodeScalars)
            return true
        }
    }

    private static let latinStart: UInt32 = 0xC0
    private static let latinEnd: UInt32 = 0x250

    /// Latin-1 Supplement and Latin Extended-A/B folded once: "" for symbols.
    private static let latin: [String] = (latinStart..<latinEnd).map { value in
        let scalar = Unicode.Scalar(value)!
        guard scalar.properties.isAlphabetic else { return "" }
        return slowFold(scalar)
    }

    private static func slowFold(_ scalar: Unicode.Scalar) -> String {
        let special: [UInt32: String] = [0xDF: "ss", 0xF8: "o", 0xD8: "o", 0x141: "l", 0x142: "l", 0x111: "d", 0x110: "d", 0xE6: "ae", 0xC6: "ae"]
        if let replacement = special[scalar.value] { return replacement }
        let lowered = scalar.properties.lowercaseMapping.decomposedStringWithCanonicalMapping
        var result = String.UnicodeScalarView()
        for part in lowered.unicodeScalars where part.properties.generalCategory != .nonspacingMark {
            result.append(part)
        }
        return String(result)
    }
}
