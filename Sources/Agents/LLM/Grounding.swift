/// The numbers a model-written answer may state: those the tools returned, the shop facts it was given and
/// the customer's own; a price, a stock count, a shipping or coupon term it invented is a number not among them.
public enum Grounding {
    /// The numbers of `text`, as digits only ("12 990 Ft" and "12.990" are both `12990`).
    public static func numbers(in text: String) -> Set<String> {
        var found = Set<String>()
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func isDigit(_ at: Int) -> Bool { at < scalars.count && ("0"..."9").contains(scalars[at]) }
        while index < scalars.count {
            guard isDigit(index) else {
                index += 1
                continue
            }
            var digits = ""
            while index < scalars.count {
                if isDigit(index) {
                    digits.unicodeScalars.append(scalars[index])
                    index += 1
                } else if [" ", ".", "\u{00A0}", "\u{202F}"].contains(scalars[index]), (1...3).allSatisfy({ isDigit(index + $0) }),
                    !isDigit(index + 4)
                {
                    // A thousands separator: exactly three digits follow.
                    index += 1
                } else {
                    break
                }
            }
            found.insert(digits)
        }
        return found
    }

    /// The numbers of `text` of two or more digits that `facts` does not have (a single digit, like "2 products", may stand).
    public static func ungrounded(_ text: String, facts: Set<String>) -> [String] {
        numbers(in: text).filter { $0.count > 1 && !facts.contains($0) }.sorted()
    }
}
