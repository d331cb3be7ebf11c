/// Copies HTML with each tag cut to its first attributes, in linear time: one pass finds whether any tag has too many,
/// a second copies only then.
///
/// libxml2's HTML parser compares each new attribute of a tag with all earlier ones, so one tag with a
/// hundred thousand attributes costs it quadratic time; a tag never needs more than a few for its text.
struct HTMLAttributeLimiter {
    /// Attributes kept per tag; the rest are dropped.
    var maxAttributes: Int

    func limit(_ html: [UInt8]) -> [UInt8] {
        // Most documents have no tag to cut, which a pass that copies nothing finds out.
        var none: [UInt8]? = nil
        guard scan(html, into: &none) else { return html }
        var output: [UInt8]? = []
        output?.reserveCapacity(html.count)
        scan(html, into: &output)
        return output ?? html
    }

    /// Copies `html` into `output` (when there is one) with each tag cut to its first attributes; whether an
    /// attribute was dropped. Without an output it stops at the first.
    @discardableResult
    private func scan(_ html: [UInt8], into output: inout [UInt8]?) -> Bool {
        let copying = output != nil
        var dropped = false
        var index = 0
        let count = html.count
        while index < count {
            let byte = html[index]
            guard byte == UInt8(ascii: "<"), index + 1 < count, Self.isLetter(html[index + 1]) else {
                if copying { output?.append(byte) }
                index += 1
                continue
            }
            // The tag name.
            let nameStart = index
            index += 1
            while index < count, !Self.endsName(html[index]) { index += 1 }
            if copying { output?.append(contentsOf: html[nameStart..<index]) }
            // The attributes, up to the closing `>`.
            var attributes = 0
            while index < count, html[index] != UInt8(ascii: ">") {
                let start = index
                let byte = html[index]
                if Self.isSpace(byte) || byte == UInt8(ascii: "/") {
                    index += 1
                    if copying { output?.append(byte) }
                    continue
                }
                index = Self.endOfAttribute(html, from: index)
                attributes += 1
                if attributes <= maxAttributes {
                    if copying { output?.append(contentsOf: html[start..<index]) }
                } else {
                    guard copying else { return true }
                    dropped = true
                }
            }
            if index < count {
                if copying { output?.append(UInt8(ascii: ">")) }
                index += 1
            }
        }
        return dropped
    }

    /// Where the attribute starting at `start` ends: after its name, and after `=` and its value if it has one.
    private static func endOfAttribute(_ html: [UInt8], from start: Int) -> Int {
        let count = html.count
        var index = start + 1
        while index < count, !endsName(html[index]), html[index] != UInt8(ascii: "=") { index += 1 }
        var look = index
        while look < count, isSpace(html[look]) { look += 1 }
        guard look < count, html[look] == UInt8(ascii: "=") else { return index }
        index = look + 1
        while index < count, isSpace(html[index]) { index += 1 }
        guard index < count else { return index }
        let quote = html[index]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            index += 1
            while index < count, html[index] != quote { index += 1 }
            return min(index + 1, count)
        }
        while index < count, !isSpace(html[index]), html[index] != UInt8(ascii: ">") { index += 1 }
        return index
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "/")
    }
}
