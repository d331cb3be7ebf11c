/// Shortens and splits text to a length limit without ever cutting inside a grapheme.
///
/// Lengths are UTF-16 code units: never fewer than the characters a platform counts, so a fitted
/// text is within the limit whichever way the platform counts.
public enum TextFitting {
    /// The ellipsis that marks a shortened text.
    public static let ellipsis: Character = "…"

    /// `text` unchanged when it fits, else cut on a grapheme boundary (at a word when one is near) and ended with "…".
    public static func truncate(_ text: String, to limit: Int) -> String {
        guard text.utf16.count > limit else { return text }
        guard limit > 0 else { return "" }
        let room = limit - String(ellipsis).utf16.count
        let end = prefixEnd(text, fitting: room)
        var head = text[..<end]
        if let space = head.lastIndex(where: \.isWhitespace), text.distance(from: text.startIndex, to: space) > room / 2 {
            head = head[..<space]
        }
        return head.trimmingTrailingWhitespace() + String(ellipsis)
    }

    /// Splits `text` into pieces within `limit`, preferring sentence ends, then word gaps, then any grapheme.
    public static func split(_ text: String, limit: Int) -> [String] {
        precondition(limit > 0, "limit must be positive")
        var pieces: [String] = []
        var rest = Substring(text)
        while rest.utf16.count > limit {
            var end = prefixEnd(rest, fitting: limit)
            if end == rest.startIndex { end = rest.index(after: end) }  // a single grapheme longer than the limit
            let window = rest[..<end]
            var cut = sentenceEnd(in: window) ?? window.lastIndex(where: \.isWhitespace) ?? end
            if cut == rest.startIndex { cut = end }
            let piece = rest[..<cut].trimmingTrailingWhitespace()
            if !piece.isEmpty { pieces.append(piece) }
            rest = rest[cut...].drop(while: \.isWhitespace)
        }
        let last = rest.trimmingTrailingWhitespace()
        if !last.isEmpty || pieces.isEmpty { pieces.append(last) }
        return pieces
    }

    /// The end of the longest prefix made of whole graphemes whose UTF-16 length fits.
    private static func prefixEnd<S: StringProtocol>(_ text: S, fitting limit: Int) -> S.Index {
        var used = 0
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(after: index)
            let size = text[index..<next].utf16.count
            if used + size > limit { break }
            used += size
            index = next
        }
        return index
    }

    /// The index just after the last sentence end (".", "!", "?", "…" or a line break followed by a space) in the window's second half.
    private static func sentenceEnd(in window: Substring) -> Substring.Index? {
        let half = window.index(window.startIndex, offsetBy: window.count / 2)
        var index = window.endIndex
        while index > half {
            let previous = window.index(before: index)
            let character = window[previous]
            if character.isNewline { return index }
            if ".!?…".contains(character), index < window.endIndex, window[index].isWhitespace { return index }
            index = previous
        }
        return nil
    }
}

extension StringProtocol {
    func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex, self[index(before: end)].isWhitespace { end = index(before: end) }
        return String(self[startIndex..<end])
    }
}
