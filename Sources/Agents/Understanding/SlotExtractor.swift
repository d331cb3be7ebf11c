import Foundation
import Webshop

/// Finds order numbers, contact details, budgets, sizes, colours, brands and audiences in a message.
public struct SlotExtractor: Sendable {
    /// Forints to one euro, for budgets given in euros.
    public var forintsPerEuro: Double

    public init(forintsPerEuro: Double = 400) {
        self.forintsPerEuro = forintsPerEuro
    }

    public func extract(from text: String, normalized: NormalizedText, brands: Set<String>) -> Slots {
        var slots = Slots()
        scanTokens(text, into: &slots)
        scanBudget(normalized.words, euro: text.containsBytes("€") || text.containsBytes("$"), into: &slots)
        if let number = slots.orderNumber.flatMap(Double.init), number == slots.maxPrice || number == slots.minPrice {
            // "220000 Ft alatt" is money, not an order number.
            slots.orderNumber = nil
        }
        scanSize(text, normalized.words, into: &slots)
        slots.colour = colour(in: normalized.words)
        slots.brand = brand(in: normalized, brands: brands)
        slots.audience = audience(in: normalized)
        return slots
    }

    // MARK: Order numbers, emails, phones, coupon codes

    private func scanTokens(_ text: String, into slots: inout Slots) {
        let tokens = text.split { $0.isWhitespace || $0 == "," || $0 == ";" || $0 == "(" || $0 == ")" }
        for raw in tokens {
            let token = String(raw.trimmingScalars { ".!?:\"'#<>".unicodeScalars.contains($0) })
            if token.utf8.contains(UInt8(ascii: "@")), slots.email == nil, Self.isEmail(token) {
                slots.email = token
            } else if slots.orderNumber == nil, Self.isOrderNumber(token) {
                slots.orderNumber = token
            } else if slots.couponCode == nil, Self.isCouponCode(token) {
                slots.couponCode = token
            }
        }
        slots.phone = Self.phone(in: text)
    }

    static func isEmail(_ token: String) -> Bool {
        let parts = token.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].utf8.contains(UInt8(ascii: ".")), !parts[1].hasPrefix("."), !parts[1].hasSuffix(".") else {
            return false
        }
        return !token.contains(where: \.isWhitespace)
    }

    /// UNAS order numbers (`1000-1000123`) or a bare number of six to twelve digits.
    static func isOrderNumber(_ token: String) -> Bool {
        let groups = token.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else { return false }
        if groups.count == 2 { return groups[0].count >= 2 && groups[1].count >= 4 }
        return groups.count == 1 && (6...12).contains(groups[0].count) && !token.hasPrefix("06") && !token.hasPrefix("36")
    }

    /// Capitals and digits, both present, 4 to 20 long (`NYAR20`, `TELEFON10`).
    static func isCouponCode(_ token: String) -> Bool {
        guard (4...20).contains(token.count) else { return false }
        let letters = token.filter(\.isLetter)
        return !letters.isEmpty && letters.allSatisfy(\.isUppercase) && token.contains(where: \.isASCIIDigit)
            && token.allSatisfy { $0.isLetter || $0.isASCIIDigit }
    }

    /// A Hungarian or international phone number: `+36 30 123 4567`, `06-30/123-4567`, `+44 20 7946 0958`.
    static func phone(in text: String) -> String? {
        var best: String?
        var current = ""
        var digits = 0
        func finish() {
            guard !current.isEmpty else { return }
            let trimmed = String(current.trimmingScalars { " -/.".unicodeScalars.contains($0) })
            let startsRight = trimmed.hasPrefix("+") || trimmed.hasPrefix("06") || trimmed.hasPrefix("0036") || trimmed.hasPrefix("36")
            if best == nil, startsRight, (9...15).contains(digits) { best = trimmed }
            current = ""
            digits = 0
        }
        for character in text {
            if character.isASCIIDigit {
                current.append(character)
                digits += 1
            } else if character == "+" && current.isEmpty {
                current.append(character)
            } else if !current.isEmpty && (character == " " || character == "-" || character == "/" || character == "(" || character == ")") {
                current.append(character)
            } else {
                finish()
            }
        }
        finish()
        return best
    }

    // MARK: Budgets

    /// "20 ezer forint alatt", "30 ezerig", "max 15000 Ft", "under 50 euros", "between 10k and 20k".
    private func scanBudget(_ words: [String], euro: Bool, into slots: inout Slots) {
        var index = 0
        while index < words.count {
            guard let (amount, used, currency, suffixBound) = amount(at: index, in: words) else {
                index += 1
                continue
            }
            let before = index > 0 ? words[index - 1] : ""
            let beforeTwo = index > 1 ? "\(words[index - 2]) \(before)" : ""
            let after = index + used < words.count ? words[index + used] : ""
            var bound = suffixBound
            if Self.maxWordsBefore.contains(before) || Self.maxPhrasesBefore.contains(beforeTwo) || Self.maxWordsAfter.contains(after) {
                bound = .max
            } else if Self.minWordsBefore.contains(before) || Self.minPhrasesBefore.contains(beforeTwo) || Self.minWordsAfter.contains(after) {
                bound = .min
            } else if before == "between" || before == "kozott" || after == "es" || after == "and" || before == "and" || before == "es" {
                bound = slots.minPrice == nil ? .min : .max
            } else if words[index + used - 1].hasSuffix("tol") || words[index + used - 1].hasSuffix("tól") {
                bound = .min
            }
            let isMoney = currency != nil || bound != nil
            if isMoney {
                let forints = (currency == .euro || (currency == nil && euro)) ? amount * forintsPerEuro : amount
                if bound == .min { slots.minPrice = forints } else if forints >= 100 || currency == .euro || euro { slots.maxPrice = forints }
            }
            index += used
        }
        if let low = slots.minPrice, let high = slots.maxPrice, low > high { (slots.minPrice, slots.maxPrice) = (high, low) }
    }

    private enum Bound { case min, max }
    private enum Currency { case forint, euro }

    /// The amount starting at `words[index]`, the words it spans, its currency and a bound its endings give.
    private func amount(at index: Int, in words: [String]) -> (Double, Int, Currency?, Bound?)? {
        let word = words[index]
        let digits = word.prefix { $0.isASCIIDigit }
        guard !digits.isEmpty, var value = Double(digits) else { return nil }
        var rest = String(word.dropFirst(digits.count))
        var used = 1
        var currency: Currency?
        var bound: Bound?
        var scaled = false
        func absorb(_ part: String) -> Bool {
            var part = part
            var matched = false
            if part.hasSuffix("ig") && part.count > 2 { bound = .max; part.removeLast(2); matched = true }
            if part.hasSuffix("tol") && part.count > 3 { bound = .min; part.removeLast(3); matched = true }
            let currencies: [(String, Currency)] = [("forint", .forint), ("ft", .forint), ("huf", .forint), ("euro", .euro), ("eur", .euro)]
            func isCurrency(_ text: String) -> Bool { currencies.contains { text.hasPrefix($0.0) } }
            if !scaled {
                for (prefix, factor) in [("ezer", 1000.0), ("ezres", 1000), ("millio", 1_000_000), ("k", 1000), ("e", 1000), ("m", 1_000_000)]
                where part.hasPrefix(prefix) && !isCurrency(part) {
                    let remainder = String(part.dropFirst(prefix.count))
                    guard remainder.isEmpty || isCurrency(remainder) else { continue }
                    value *= factor
                    scaled = true
                    part = remainder
                    matched = true
                    break
                }
            }
            if let unit = currencies.first(where: { part.hasPrefix($0.0) })?.1 {
                currency = unit
                matched = true
            }
            return matched || part.isEmpty
        }
        guard absorb(rest) else { return nil }
        while index + used < words.count, used < 4 {
            let next = words[index + used]
            if next == "000", !scaled {
                value *= 1000
                scaled = true
                used += 1
                continue
            }
            rest = next
            let before = (currency, bound, scaled)
            guard absorb(rest), (currency, bound, scaled) != before else { break }
            used += 1
        }
        return (value, used, currency, bound)
    }

    private static let maxWordsBefore: Set<String> = ["under", "below", "max", "maximum", "legfeljebb", "maximalis", "within", "budget", "keret", "kb"]
    private static let maxPhrasesBefore: Set<String> = ["less than", "up to", "kevesebb mint", "nem dragabb", "olcsobb mint", "cheaper than"]
    private static let maxWordsAfter: Set<String> = ["alatt", "alatti", "alattiak", "alattit", "ig", "or less", "max", "maximum", "belul", "korul"]
    private static let minWordsBefore: Set<String> = ["over", "above", "min", "minimum", "legalabb"]
    private static let minPhrasesBefore: Set<String> = ["more than", "at least", "tobb mint"]
    private static let minWordsAfter: Set<String> = ["felett", "feletti", "folott", "folotti", "tol"]

    // MARK: Sizes, colours, brands, audiences

    private func scanSize(_ text: String, _ words: [String], into slots: inout Slots) {
        for (index, word) in words.enumerated() {
            let before = index > 0 ? words[index - 1] : ""
            let after = index + 1 < words.count ? words[index + 1] : ""
            let marked = ["es", "as", "os", "ös", "s"].contains(after) || before.hasPrefix("meret") || before == "size"
                || after.hasPrefix("meret") || after == "size"
            if Self.letterSizes.contains(word) {
                let upper = word.uppercased()
                let written = text.containsBytes(upper + " ") || text.hasSuffix(upper) || text.containsBytes(upper + "-") || text.containsBytes(upper + "?")
                if marked || written { slots.size = upper; return }
            } else if let number = Int(word), (16...190).contains(number), marked {
                slots.size = word
                return
            } else if word.count > 2, let number = Int(word.dropLast(2)), (16...190).contains(number),
                ["es", "as", "os"].contains(String(word.suffix(2))) {
                slots.size = String(number)
                return
            }
        }
    }

    private static let letterSizes: Set<String> = ["xs", "s", "m", "l", "xl", "xxl", "xxxl", "2xl", "3xl"]

    private func colour(in words: [String]) -> String? {
        for word in words {
            for (stem, name) in Self.hungarianColours where word.hasPrefix(stem) && word.count <= stem.count + 4 { return name }
            if let name = Self.englishColours[word] { return name }
        }
        return nil
    }

    private static let hungarianColours: [(String, String)] = [
        ("fekete", "fekete"), ("feher", "fehér"), ("piros", "piros"), ("voros", "piros"), ("kek", "kék"), ("zold", "zöld"),
        ("sarga", "sárga"), ("szurke", "szürke"), ("rozsaszin", "rózsaszín"), ("barna", "barna"), ("lila", "lila"),
        ("narancs", "narancs"), ("ezust", "ezüst"), ("bezs", "bézs"), ("arany", "arany"),
    ]
    private static let englishColours: [String: String] = [
        "black": "fekete", "white": "fehér", "red": "piros", "blue": "kék", "green": "zöld", "yellow": "sárga",
        "grey": "szürke", "gray": "szürke", "pink": "rózsaszín", "brown": "barna", "purple": "lila", "orange": "narancs",
        "silver": "ezüst", "beige": "bézs", "gold": "arany",
    ]

    /// The longest brand (folded words) that occurs as consecutive words of the message.
    private func brand(in text: NormalizedText, brands: Set<String>) -> String? {
        let longest = brands.reduce(0) { most, brand in max(most, brand.utf8.count { $0 == UInt8(ascii: " ") } + 1) }
        var found: [String] = []
        for start in text.words.indices {
            var candidate = ""
            for word in text.words[start..<min(start + longest, text.words.count)] {
                if !candidate.isEmpty { candidate += " " }
                candidate += word
                if brands.contains(candidate) { found.append(candidate) }
            }
        }
        return found.max { ($0.count, $1) < ($1.count, $0) }
    }

    private func audience(in text: NormalizedText) -> [String] {
        var found: [String] = []
        for (prefixes, hint) in Self.audiences where text.contains(anyPrefix: prefixes) && !found.contains(hint) {
            found.append(hint)
        }
        // "10 éves" (a child's age) or "10 year old".
        for (index, word) in text.words.enumerated() {
            guard let age = Int(word), age < 15, index + 1 < text.words.count else { continue }
            let next = text.words[index + 1]
            if (next.hasPrefix("eves") || next == "year" || next == "years") && !found.contains("gyerek") { found.append("gyerek") }
        }
        return found
    }

    /// Folded word beginnings naming who a product is for, and the word the catalog uses for them.
    private static let audiences: [([String], String)] = [
        (["gyerek", "fiunak", "fiamnak", "fiam", "kisfi", "lanyomnak", "kislany", "unoka", "kid", "son", "daughter", "boy", "girl", "child", "teen"], "gyerek"),
        (["feleseg", "baratnom", "anyuk", "anyam", "nonek", "noknek", "noi", "wife", "girlfriend", "mom", "mother", "women", "woman"], "női"),
        (["ferjem", "baratom", "apuk", "apam", "ferfi", "husband", "boyfriend", "dad", "father", "men"], "férfi"),
        (["futo", "futas", "futni", "runner", "running"], "futó"),
        (["nagymam", "nagypap", "idos", "nagyszul", "grandma", "grandpa", "grandparent", "elderly", "senior"], "idősebb"),
        (["egyetemist", "diak", "student", "iroda", "office"], "laptop"),
        (["szakacs", "fozni", "fozes", "konyha", "cook", "kitchen"], "konyhai"),
        (["kavera", "kavez", "kave", "coffee"], "kávé"),
    ]
}

extension Character {
    /// 0 to 9 (not other scripts' digits).
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
