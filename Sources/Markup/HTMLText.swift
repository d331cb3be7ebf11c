/// Plain text of untrusted HTML (shop descriptions, mail bodies), in time linear in its length.
public enum HTMLText {
    /// The words of `html`: tags dropped, entities resolved, every element a word boundary, whitespace collapsed.
    public static func words(_ html: String) -> String {
        HTMLWordReader().words(html)
    }

    /// The readable text of an HTML mail: quoted history (`blockquote`, Gmail's quote) and invisible
    /// parts left out, a line per block and `<br>`, whitespace within a line collapsed.
    public static func mail(_ html: String) -> String {
        var lines: [String] = []
        var line = ""
        func endLine() {
            lines.append(collapse(line))
            line = ""
        }
        HTMLDocument(html).walk(
            element: { name, attribute in
                if invisible.contains(name) { return .skip }
                if attribute("class")?.contains("gmail_quote") == true { return .stop }
                if name == "br" { endLine() }
                if blocks.contains(name), line.utf8.contains(where: { $0 > 0x20 }) { endLine() }
                return .descend
            },
            leave: { name in
                if blocks.contains(name) { endLine() }
            },
            text: { line += $0 })
        endLine()
        var text = ""
        var blank = 0
        for line in lines {
            if line.isEmpty {
                blank += 1
                continue
            }
            if !text.isEmpty { text += blank > 0 ? "\n\n" : "\n" }
            blank = 0
            text += line
        }
        return text
    }

    private static let invisible: Set<String> = ["script", "style", "head", "title", "template", "blockquote"]
    private static let blocks: Set<String> = [
        "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section", "article",
        "header", "footer", "pre", "hr", "dd", "dt", "center",
    ]

    /// Runs of whitespace (ASCII white space and no-break spaces) as one space, none at the ends; works on
    /// the UTF-8 bytes, as this runs for every description of every product.
    public static func collapse(_ text: String) -> String {
        collapse(bytes: text.utf8)
    }

    /// `collapse(_:)` of text given as UTF-8 bytes.
    static func collapse(bytes utf8: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var pendingSpace = false
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            var isSpace = byte == 0x20 || (0x09...0x0D).contains(byte)
            if byte == 0xC2 {
                // U+00A0 NO-BREAK SPACE is C2 A0; any other C2 sequence is copied as it is.
                guard let next = iterator.next() else {
                    output.append(byte)
                    break
                }
                if next == 0xA0 {
                    isSpace = true
                } else {
                    if pendingSpace && !output.isEmpty { output.append(0x20) }
                    pendingSpace = false
                    output.append(byte)
                    output.append(next)
                    continue
                }
            }
            if isSpace {
                pendingSpace = true
                continue
            }
            if pendingSpace && !output.isEmpty { output.append(0x20) }
            pendingSpace = false
            output.append(byte)
        }
        return String(decoding: output, as: UTF8.self)
    }
}
