import Foundation
import CLibXML2

/// A read-only view of one element of a libxml2 tree; valid only while that tree lives.
struct XMLElementView {
    let node: xmlNodePtr

    /// Whether the element is called `name`.
    func isNamed(_ name: StaticString) -> Bool {
        xmlStrEqual(node.pointee.name, name.utf8Start) != 0
    }

    /// The element's child elements, in document order.
    var children: [XMLElementView] {
        var result: [XMLElementView] = []
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE { result.append(XMLElementView(node: current)) }
            child = current.pointee.next
        }
        return result
    }

    /// The first child element called `name`.
    func child(_ name: StaticString) -> XMLElementView? {
        var child = node.pointee.children
        while let current = child {
            if current.pointee.type == XML_ELEMENT_NODE, xmlStrEqual(current.pointee.name, name.utf8Start) != 0 {
                return XMLElementView(node: current)
            }
            child = current.pointee.next
        }
        return nil
    }

    /// The child elements called `name`.
    func children(_ name: StaticString) -> [XMLElementView] {
        children.filter { $0.isNamed(name) }
    }

    /// The element's text (CDATA and entities resolved), without surrounding whitespace.
    var text: String {
        // The common case, one text or CDATA child, is read in place.
        if let only = node.pointee.children, only.pointee.next == nil,
            only.pointee.type == XML_TEXT_NODE || only.pointee.type == XML_CDATA_SECTION_NODE,
            let content = only.pointee.content
        {
            return Self.trimmed(String(cString: content))
        }
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { clibxml2_free(content) }
        return Self.trimmed(String(cString: content))
    }

    /// The text of the child element `name`, nil when it is missing or empty.
    func text(_ name: StaticString) -> String? {
        guard let text = child(name)?.text, !text.isEmpty else { return nil }
        return text
    }

    /// The child element `name` as a number (`.` or `,` decimals).
    func number(_ name: StaticString) -> Double? {
        text(name).flatMap(Self.number)
    }

    /// Hands the element and everything inside it to `fields` as the feed reader would, start to end.
    func replay(into fields: inout UNASProductFields) {
        fields.start(UNASProductFields.Tag(name: String(cString: node.pointee.name)))
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE: XMLElementView(node: current).replay(into: &fields)
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { fields.characters(String(cString: content)) }
            default: break
            }
            child = current.pointee.next
        }
        fields.end()
    }

    /// A finite number (`.` or `,` decimals); `nan` and `inf` are not prices.
    static func number(_ text: String) -> Double? {
        guard let value = Double(text.utf8.contains(UInt8(ascii: ",")) ? text.replacingOccurrences(of: ",", with: ".") : text), value.isFinite else { return nil }
        return value
    }

    /// The text without surrounding white space; copied only when it has some.
    static func trimmed(_ text: String) -> String {
        guard let first = text.utf8.first, let last = text.utf8.last,
            Self.isSpace(first) || Self.isSpace(last)
        else { return text }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}
