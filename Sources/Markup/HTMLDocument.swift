import CLibXML2

/// An HTML document parsed by libxml2's forgiving HTML parser, walked without recursion.
///
/// The parser runs without network access and with entity substitution only for HTML's own named
/// entities; tags are first cut to their first attributes (`HTMLAttributeLimiter`), so parsing stays
/// linear in the input's length, and the walk uses its own stack, so deep nesting cannot exhaust the
/// thread's.
struct HTMLDocument: ~Copyable {
    /// What the walk does with an element.
    enum Visit {
        /// Visit its children.
        case descend
        /// Leave its content out.
        case skip
        /// End the walk here.
        case stop
    }

    private let document: htmlDocPtr?

    init(_ html: String) {
        var limited = HTMLAttributeLimiter(maxAttributes: 16).limit(Array(html.utf8))
        limited.append(0)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue)
        document = limited.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                htmlReadMemory(chars.baseAddress, Int32(chars.count - 1), nil, "UTF-8", options)
            }
        }
    }

    deinit {
        if let document { xmlFreeDoc(document) }
    }

    /// Calls `text` with each text node's content and `element`/`leave` around each element, in document order.
    func walk(
        element: (_ name: String, _ attribute: (String) -> String?) -> Visit,
        leave: (_ name: String) -> Void,
        text: (String) -> Void
    ) {
        guard let document else { return }
        // Each entry is a node and whether its children were already entered.
        var stack: [(node: xmlNodePtr, entered: Bool)] = []
        var node = document.pointee.children
        while true {
            while let current = node {
                switch current.pointee.type {
                case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                    if let content = current.pointee.content { text(String(cString: content)) }
                case XML_ELEMENT_NODE:
                    let name = String(cString: current.pointee.name).lowercased()
                    switch element(name, { Self.attribute($0, of: current) }) {
                    case .descend:
                        stack.append((current, true))
                        node = current.pointee.children
                        continue
                    case .skip:
                        break
                    case .stop:
                        return
                    }
                default:
                    break
                }
                node = current.pointee.next
            }
            guard let (parent, _) = stack.popLast() else { return }
            leave(String(cString: parent.pointee.name).lowercased())
            node = parent.pointee.next
        }
    }

    private static func attribute(_ name: String, of node: xmlNodePtr) -> String? {
        guard let value = xmlGetProp(node, name) else { return nil }
        defer { clibxml2_free(value) }
        return String(cString: value)
    }
}
