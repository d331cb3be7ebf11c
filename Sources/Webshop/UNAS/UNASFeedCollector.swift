import CLibXML2
import Foundation

/// What the feed parser's events make: the product being collected, the products completed since the reader last
/// took them, and the first error.
///
/// The reader keeps it behind a pointer that the parser's callbacks reach through the parser context, so an event
/// costs no reference counting and no dynamic exclusivity check of a class's property.
struct UNASFeedCollector {
    /// How many bytes of declared entities' text the references of a feed may make the parser read beyond the
    /// feed's own bytes. Without a tree libxml2 reads an entity's text again at each reference, so a large
    /// entity referenced often would make the work quadratic in the feed's size.
    static let entityAllowance = 1 << 20

    let path: String
    private let parser: xmlParserCtxtPtr
    var tags: UNASTagTable
    /// The feed's bytes handed to the parser so far, and the text of the entities its references named.
    var bytes = 0
    private var entityBytes = 0
    /// Elements open outside the product being collected.
    private var depth = 0
    /// Whether the parser is inside one of the document element's `Product` children, and that product's texts.
    private var inProduct = false
    private var fields = UNASProductFields()
    /// Products completed and not yet taken, and the counts of products read and skipped (no sku).
    var ready: [UNASProductFields] = []
    private(set) var products = 0
    private(set) var skipped = 0
    private(set) var firstError: UNASFeedError?

    init(path: String, parser: xmlParserCtxtPtr) {
        self.path = path
        self.parser = parser
        tags = UNASTagTable(dictionary: parser.pointee.dict)
    }

    /// An element called `name` starts.
    mutating func start(_ name: UnsafePointer<xmlChar>?) {
        if inProduct {
            fields.start(tag(name))
        } else if depth == 1, tag(name) == .product {
            // The feed's products are the document element's children.
            inProduct = true
            fields = UNASProductFields()
            fields.start(.product)
        } else {
            depth += 1
        }
    }

    /// The current element ends.
    mutating func end() {
        guard inProduct else {
            depth -= 1
            return
        }
        fields.end()
        guard fields.isComplete else { return }
        inProduct = false
        if UNASProductMapping.sku(of: fields) != nil {
            fields.finish()
            products += 1
            ready.append(fields)
        } else {
            skipped += 1
        }
    }

    /// Text inside the current element, `length` bytes of UTF-8.
    mutating func append(_ characters: UnsafePointer<xmlChar>?, _ length: Int32) {
        guard inProduct, fields.isCollecting, let characters, length > 0 else { return }
        fields.characters(UnsafeBufferPointer(start: characters, count: Int(length)))
    }

    /// A reference to `entity` was met, by `context`: the document's parser or one reading an entity's text. Stops
    /// both once the entities referenced outgrow the feed by more than `entityAllowance`.
    mutating func referenced(_ entity: xmlEntityPtr, by context: xmlParserCtxtPtr) {
        entityBytes += Int(entity.pointee.length)
        guard entityBytes > bytes + Self.entityAllowance else { return }
        record(
            line: Int(parser.pointee.input?.pointee.line ?? 0), column: Int(parser.pointee.input?.pointee.col ?? 0),
            reason: "declared entities expand to more text than the feed itself; the feed is not read further")
        xmlStopParser(context)
        xmlStopParser(parser)
    }

    /// A parser's report, kept when it is the first error (warnings are not).
    mutating func record(_ error: xmlError) {
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
        let message = error.message.map { String(cString: $0) } ?? "malformed XML"
        record(line: Int(error.line), column: Int(error.int2), reason: message)
    }

    /// An error found outside the parser, kept when it is the first.
    mutating func record(line: Int = 0, column: Int = 0, reason: String) {
        guard firstError == nil else { return }
        firstError = UNASFeedError(file: path, line: line, column: column, reason: reason.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    private mutating func tag(_ name: UnsafePointer<xmlChar>?) -> UNASProductFields.Tag {
        guard let name else { return .other }
        return tags.tag(name)
    }
}
