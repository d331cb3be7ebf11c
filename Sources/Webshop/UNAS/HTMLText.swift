import CLibXML2

/// Plain text of the HTML a shop writes in product descriptions, through libxml2's HTML parser.
enum HTMLText {
    /// The words of `html`: tags dropped, entities resolved, blocks separated, whitespace collapsed.
    static func plain(_ html: String) -> String {
        guard html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else {
            return collapse(html)
        }
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue)
        var utf8 = Array(html.utf8)
        utf8.append(0)
        let document = utf8.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                htmlReadMemory($0, Int32(buffer.count - 1), nil, "UTF-8", options)
            }
        }
        guard let document else { return collapse(html) }
        defer { xmlFreeDoc(document) }
        var words = ""
        collect(document.pointee.children, into: &words)
        return collapse(words)
    }

    private static func collect(_ first: xmlNodePtr?, into words: inout String) {
        var node = first
        while let current = node {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { words += String(cString: content) }
            case XML_ELEMENT_NODE:
                let name = String(cString: current.pointee.name).lowercased()
                if name != "script" && name != "style" {
                    // Every element is a word boundary, so "<p>a</p><p>b</p>" stays two words.
                    words += " "
                    collect(current.pointee.children, into: &words)
                    words += " "
                }
            default:
                break
            }
            node = current.pointee.next
        }
    }

    /// Runs of whitespace (ASCII white space and no-break spaces) as one space, none at the ends; works on
    /// the UTF-8 bytes, as this runs for every description of every product.
    static func collapse(_ text: String) -> String {
        let utf8 = text.utf8
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
