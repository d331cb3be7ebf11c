import Foundation
import CLibXML2
import Markup

/// A UNAS product document read as a stream with libxml2's `xmlTextReader`: each `<Product>` is mapped from
/// the reader's nodes as they pass, without a tree, so memory stays flat whatever the feed's size.
public final class UNASFeedReader {
    /// Where the reader is: bytes of the file consumed, products read and skipped (no sku).
    public struct Position: Sendable {
        public var bytes: Int
        public var products: Int
        public var skipped: Int
    }

    private let path: String
    private let reader: xmlTextReaderPtr
    private var firstError: UNASFeedError?
    private var products = 0
    private var skipped = 0
    private var finished = false
    /// The known element names by the pointer of their copy in the reader's dictionary, which the reader's
    /// element names point into: a known element is told by its pointer, without reading its name.
    private var tags: [UnsafePointer<xmlChar>: UNASProductFields.Tag] = [:]
    /// Reads every product's descriptions with one HTML parser.
    private let words = HTMLWordReader()

    /// Opens the file at `path`; its XML declaration names the encoding (UTF-8, ISO-8859-2, …).
    public init(path: String) throws(UNASFeedError) {
        self.path = path
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue
            | XML_PARSE_NOBLANKS.rawValue)
        guard let reader = xmlReaderForFile(path, nil, options) else {
            throw UNASFeedError(file: path, line: 0, column: 0, reason: "cannot open the file")
        }
        self.reader = reader
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let feed = Unmanaged<UNASFeedReader>.fromOpaque(context).takeUnretainedValue()
            feed.record(error.pointee)
        }, Unmanaged.passUnretained(self).toOpaque())
        for (name, tag) in UNASProductFields.Tag.byName {
            if let interned = xmlTextReaderConstString(reader, name) { tags[interned] = tag }
        }
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The next product entry, or nil at the end of the document; throws at the first XML error.
    public func next() throws(UNASFeedError) -> UNASFeedEntry? {
        guard let fields = try nextFields() else { return nil }
        return UNASProductMapping.entry(fields, words: words)
    }

    /// The texts of the next product with a sku, or nil at the end of the document; throws at the first XML error.
    func nextFields() throws(UNASFeedError) -> UNASProductFields? {
        guard !finished else { return nil }
        var status = xmlTextReaderRead(reader)
        while status == 1 {
            // The feed's products are the document element's children.
            if xmlTextReaderNodeType(reader) == Self.element, xmlTextReaderDepth(reader) == 1, tag() == .product {
                var fields = UNASProductFields()
                status = read(into: &fields)
                guard status >= 0 else { break }
                if UNASProductMapping.sku(of: fields) != nil {
                    fields.finish()
                    products += 1
                    return fields
                }
                skipped += 1
            }
            status = xmlTextReaderRead(reader)
        }
        finished = true
        if status < 0 || firstError != nil {
            throw firstError ?? UNASFeedError(file: path, line: 0, column: 0, reason: "the document could not be read")
        }
        return nil
    }

    private static let element = Int32(XML_READER_TYPE_ELEMENT.rawValue)
    private static let endElement = Int32(XML_READER_TYPE_END_ELEMENT.rawValue)
    private static let text = Int32(XML_READER_TYPE_TEXT.rawValue)
    private static let cdata = Int32(XML_READER_TYPE_CDATA.rawValue)

    /// Feeds the product element the reader is on, through its end, to `fields`; the reader's last status.
    private func read(into fields: inout UNASProductFields) -> Int32 {
        var status: Int32 = 1
        repeat {
            switch xmlTextReaderNodeType(reader) {
            case Self.element:
                fields.start(tag())
                if xmlTextReaderIsEmptyElement(reader) == 1 { fields.end() }
            case Self.endElement:
                fields.end()
            case Self.text, Self.cdata:
                if fields.isCollecting, let value = xmlTextReaderConstValue(reader) { fields.characters(String(cString: value)) }
            default:
                break
            }
            if fields.isComplete { return status }
            status = xmlTextReaderRead(reader)
        } while status == 1
        return status
    }

    /// The element the reader is on, as the mapping knows it.
    private func tag() -> UNASProductFields.Tag {
        guard let name = xmlTextReaderConstLocalName(reader) else { return .other }
        if let known = tags[name] { return known }
        return UNASProductFields.Tag(name: String(cString: name))
    }

    /// Bytes consumed and entries read so far.
    public var position: Position {
        Position(bytes: Int(xmlTextReaderByteConsumed(reader)), products: products, skipped: skipped)
    }

    private func record(_ error: xmlError) {
        guard firstError == nil, error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) } ?? "malformed XML"
        firstError = UNASFeedError(
            file: path, line: Int(error.line), column: Int(error.int2),
            reason: message.trimmingCharacters(in: .whitespacesAndNewlines))
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
