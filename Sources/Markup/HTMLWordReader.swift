import CLibXML2

/// The words of HTML documents (`HTMLText.words`), read by one libxml2 HTML parser context that is reused from
/// document to document and reports elements and text as it meets them instead of building a tree.
///
/// A feed import reads two descriptions per product; a tree and a fresh parser context for each were most of the
/// reader's time (docs/channels.md §5.2 says what a description is). Not for use from two tasks at once.
public final class HTMLWordReader {
    /// Distinct element and attribute names the context's dictionary may hold before the context is replaced, so
    /// memory stays bounded over a feed of any size.
    static let maxNames = 10_000

    /// How deeply elements may nest before reading stops: as deep as libxml2 builds a tree without `XML_PARSE_HUGE`
    /// (its `xmlParserMaxDepth`), which also keeps the parser's work linear in the input.
    static let maxDepth = 256

    private var context: htmlParserCtxtPtr?
    /// Parser contexts made so far: one, until the names met outgrow it.
    private(set) var contextsMade = 0
    private var text: [UInt8] = []
    /// Open elements, and those of them whose content is left out (`script`, `style` and everything inside them).
    private var depth = 0
    private var skipped = 0

    public init() {}

    deinit {
        if let context { htmlFreeParserCtxt(context) }
    }

    /// The words of `html`: tags dropped, entities resolved, every element a word boundary, whitespace collapsed.
    public func words(_ html: String) -> String {
        guard html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else {
            return HTMLText.collapse(html)
        }
        guard let context = prepared() else { return HTMLText.collapse(html) }
        text.removeAll(keepingCapacity: true)
        depth = 0
        skipped = 0
        let limited = HTMLAttributeLimiter(maxAttributes: 16).limit(Array(html.utf8))
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue)
        context.pointee._private = Unmanaged.passUnretained(self).toOpaque()
        limited.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                guard let base = chars.baseAddress else { return }
                // No tree is built; were one returned all the same, it is freed.
                if let document = htmlCtxtReadMemory(context, base, Int32(chars.count), nil, "UTF-8", options) {
                    xmlFreeDoc(document)
                }
            }
        }
        context.pointee._private = nil
        return HTMLText.collapse(bytes: text)
    }

    /// The context, with handlers that report to this reader; a new one when the old one's names grew too many.
    private func prepared() -> htmlParserCtxtPtr? {
        if let context, xmlDictSize(context.pointee.dict) <= Self.maxNames { return context }
        if let context { htmlFreeParserCtxt(context) }
        context = htmlNewParserCtxt()
        contextsMade += 1
        guard let context, let handler = context.pointee.sax else { return nil }
        // Only what the words need; with no document callbacks the parser builds no tree.
        handler.pointee = htmlSAXHandler()
        handler.pointee.startElement = { context, name, _ in
            guard let reader = HTMLWordReader.reader(context) else { return }
            if !reader.start(name) { xmlStopParser(context?.assumingMemoryBound(to: xmlParserCtxt.self)) }
        }
        handler.pointee.endElement = { context, _ in HTMLWordReader.reader(context)?.end() }
        handler.pointee.characters = { context, characters, length in HTMLWordReader.reader(context)?.append(characters, length) }
        handler.pointee.cdataBlock = { context, characters, length in HTMLWordReader.reader(context)?.append(characters, length) }
        return context
    }

    private static func reader(_ context: UnsafeMutableRawPointer?) -> HTMLWordReader? {
        guard let owner = context?.assumingMemoryBound(to: xmlParserCtxt.self).pointee._private else { return nil }
        return Unmanaged<HTMLWordReader>.fromOpaque(owner).takeUnretainedValue()
    }

    /// An element starts; false when it is too deep to read on.
    private func start(_ name: UnsafePointer<xmlChar>?) -> Bool {
        guard depth <= Self.maxDepth else { return false }
        depth += 1
        if skipped > 0 || Self.isHidden(name) {
            skipped += 1
        } else {
            text.append(0x20)
        }
        return true
    }

    private func end() {
        depth -= 1
        if skipped > 0 {
            skipped -= 1
        } else {
            text.append(0x20)
        }
    }

    private func append(_ characters: UnsafePointer<xmlChar>?, _ length: Int32) {
        // Text outside every element has no place in a tree, so it is not read either.
        guard depth > 0, skipped == 0, let characters, length > 0 else { return }
        text.append(contentsOf: UnsafeBufferPointer(start: characters, count: Int(length)))
    }

    /// `script` and `style`, whose content is not text (the parser gives names in lower case).
    private static func isHidden(_ name: UnsafePointer<xmlChar>?) -> Bool {
        guard let name else { return false }
        return xmlStrEqual(name, "script") != 0 || xmlStrEqual(name, "style") != 0
    }
}
