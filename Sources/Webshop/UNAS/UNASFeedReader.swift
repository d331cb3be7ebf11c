import CLibXML2
import Foundation
import Markup

/// A UNAS product document read as a stream with libxml2's SAX2 push parser: the file goes to the parser in
/// chunks, and each `<Product>` is collected from the element and text events as they pass, without a tree, so
/// memory stays flat whatever the feed's size.
public final class UNASFeedReader {
    /// Where the reader is: bytes of the file consumed, products read and skipped (no sku).
    public struct Position: Sendable {
        public var bytes: Int
        public var products: Int
        public var skipped: Int
    }

    /// The bytes handed to the parser at a time.
    static let chunkSize = 64 * 1024

    private let file: Int32
    private let context: xmlParserCtxtPtr
    private let collector: UnsafeMutablePointer<UNASFeedCollector>
    private var chunk = [UInt8](repeating: 0, count: UNASFeedReader.chunkSize)
    private var finished = false
    /// How many of the collector's completed products were handed out.
    private var handedOut = 0
    /// Reads every product's descriptions with one HTML parser.
    private let words = HTMLWordReader()

    /// Opens the file at `path`; its XML declaration names the encoding (UTF-8, ISO-8859-2, …).
    public init(path: String) throws(UNASFeedError) {
        file = open(path, O_RDONLY | O_CLOEXEC)
        guard file >= 0 else { throw UNASFeedError(file: path, line: 0, column: 0, reason: "cannot open the file") }
        var handler = Self.handler()
        guard let context = xmlCreatePushParserCtxt(&handler, nil, nil, 0, path) else {
            close(file)
            throw UNASFeedError(file: path, line: 0, column: 0, reason: "cannot open the file")
        }
        self.context = context
        xmlCtxtUseOptions(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOBLANKS.rawValue))
        collector = .allocate(capacity: 1)
        collector.initialize(to: UNASFeedCollector(path: path, parser: context))
        context.pointee._private = UnsafeMutableRawPointer(collector)
    }

    deinit {
        // The document holds only the DTD: the handlers build no elements.
        if let document = context.pointee.myDoc { xmlFreeDoc(document) }
        xmlFreeParserCtxt(context)
        collector.deinitialize(count: 1)
        collector.deallocate()
        close(file)
    }

    /// The next product entry, or nil at the end of the document; throws at the first XML error.
    public func next() throws(UNASFeedError) -> UNASFeedEntry? {
        guard let fields = try nextFields() else { return nil }
        return UNASProductMapping.entry(fields, words: words)
    }

    /// The texts of the next product with a sku, or nil at the end of the document; throws at the first XML error.
    func nextFields() throws(UNASFeedError) -> UNASProductFields? {
        while handedOut == collector.pointee.ready.count {
            guard !finished else { return nil }
            collector.pointee.ready.removeAll(keepingCapacity: true)
            handedOut = 0
            try parseChunk()
        }
        defer { handedOut += 1 }
        return collector.pointee.ready[handedOut]
    }

    /// Bytes consumed and entries read so far.
    public var position: Position {
        Position(bytes: collector.pointee.bytes, products: collector.pointee.products, skipped: collector.pointee.skipped)
    }

    /// Hands the file's next chunk to the parser, or tells it the document ended.
    private func parseChunk() throws(UNASFeedError) {
        let count = chunk.withUnsafeMutableBytes { read(file, $0.baseAddress, $0.count) }
        if count > 0 {
            collector.pointee.bytes += count
            chunk.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) { _ = xmlParseChunk(context, $0.baseAddress, Int32(count), 0) }
            }
        } else {
            finished = true
            if count < 0 { collector.pointee.record(reason: "cannot read the file: \(String(cString: strerror(errno)))") }
            _ = xmlParseChunk(context, nil, 0, 1)
        }
        if context.pointee.wellFormed == 0 { collector.pointee.record(reason: "the document could not be read") }
        if let error = collector.pointee.firstError {
            finished = true
            collector.pointee.ready.removeAll()
            throw error
        }
    }

    /// SAX2's handlers for the document and its DTD, which keep declared entities as libxml2 knows them, with
    /// elements, text and errors reported to the collector instead of building a tree.
    private static func handler() -> xmlSAXHandler {
        var handler = xmlSAXHandler()
        xmlSAXVersion(&handler, 2)
        // Comments and processing instructions outside an element would be added to the document.
        handler.comment = nil
        handler.processingInstruction = nil
        handler.reference = nil
        handler.startElementNs = { context, name, _, _, _, _, _, _, _ in UNASFeedReader.collector(context)?.pointee.start(name) }
        handler.endElementNs = { context, _, _, _ in UNASFeedReader.collector(context)?.pointee.end() }
        handler.characters = { context, characters, length in UNASFeedReader.collector(context)?.pointee.append(characters, length) }
        handler.getEntity = { context, name in
            let entity = xmlSAX2GetEntity(context, name)
            if let entity, entity.pointee.etype != XML_INTERNAL_PREDEFINED_ENTITY, let parser = UNASFeedReader.parser(context),
                let collector = parser.pointee._private?.assumingMemoryBound(to: UNASFeedCollector.self)
            {
                collector.pointee.referenced(entity, by: parser)
            }
            return entity
        }
        handler.serror = { context, error in
            guard let error, let collector = UNASFeedReader.parser(context)?.pointee._private else { return }
            collector.assumingMemoryBound(to: UNASFeedCollector.self).pointee.record(error.pointee)
        }
        return handler
    }

    private static func parser(_ context: UnsafeMutableRawPointer?) -> xmlParserCtxtPtr? {
        context?.assumingMemoryBound(to: xmlParserCtxt.self)
    }

    /// The collector of the parser that reports; none while the parser checks a declared entity's text on a context
    /// of its own (`depth` above 0), whose events are not the document's.
    private static func collector(_ context: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<UNASFeedCollector>? {
        guard let parser = parser(context), parser.pointee.depth == 0 else { return nil }
        return parser.pointee._private?.assumingMemoryBound(to: UNASFeedCollector.self)
    }
}

/// A feed that cannot be read, with where it went wrong.
public struct UNASFeedError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var reason: String

    public var description: String { "\(file):\(line):\(column): \(reason)" }
}
