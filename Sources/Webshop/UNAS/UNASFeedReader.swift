import Foundation
import CLibXML2

/// A UNAS product document read as a stream with libxml2's `xmlTextReader`: one `<Product>` at a time
/// is expanded and then released, so memory stays flat whatever the feed's size.
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
    private var pendingStatus: Int32?

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
    }

    deinit {
        xmlFreeTextReader(reader)
    }

    /// The next product entry, or nil at the end of the document; throws at the first XML error.
    public func next() throws(UNASFeedError) -> UNASFeedEntry? {
        guard !finished else { return nil }
        // After `xmlTextReaderNext` the reader already sits on the node that follows the last product.
        var status = pendingStatus ?? xmlTextReaderRead(reader)
        pendingStatus = nil
        while status == 1 {
            if xmlTextReaderNodeType(reader) == Int32(XML_READER_TYPE_ELEMENT.rawValue), isProduct() {
                guard let node = xmlTextReaderExpand(reader) else { break }
                let entry = UNASProductMapping.entry(XMLElementView(node: node))
                // Skips the expanded subtree; the reader frees it as it moves on.
                status = xmlTextReaderNext(reader)
                if let entry {
                    products += 1
                    pendingStatus = status
                    return entry
                }
                skipped += 1
                continue
            }
            status = xmlTextReaderRead(reader)
        }
        finished = true
        if status < 0 || firstError != nil {
            throw firstError ?? UNASFeedError(file: path, line: 0, column: 0, reason: "the document could not be read")
        }
        return nil
    }

    /// Bytes consumed and entries read so far.
    public var position: Position {
        Position(bytes: Int(xmlTextReaderByteConsumed(reader)), products: products, skipped: skipped)
    }

    private func isProduct() -> Bool {
        guard let name = xmlTextReaderConstLocalName(reader) else { return false }
        return xmlStrEqual(name, "Product") != 0
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
