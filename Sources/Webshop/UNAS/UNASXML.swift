import CLibXML2
import Foundation

/// UNAS API documents: requests written and answers read with libxml2.
enum UNASXML {
    /// `<?xml …?><Params><Name>value</Name>…</Params>`, values escaped by libxml2's writer.
    static func params(_ fields: [(String, String)], root: String = "Params") -> String {
        guard let buffer = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buffer) }
        guard let writer = xmlNewTextWriterMemory(buffer, 0) else { return "" }
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
        xmlTextWriterStartElement(writer, root)
        for (name, value) in fields {
            xmlTextWriterWriteElement(writer, name, value)
        }
        xmlTextWriterEndDocument(writer)
        xmlFreeTextWriter(writer)
        return String(cString: xmlBufferContent(buffer))
    }

    /// Parses an answer and hands its root element to `body` while the document lives.
    static func withRoot<T>(_ data: [UInt8], _ body: (XMLElementView) throws -> T) throws -> T {
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_NOBLANKS.rawValue)
        let document = data.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.flatMap { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    xmlReadMemory($0, Int32(buffer.count), "unas.xml", nil, options)
                }
            }
        }
        guard let document else { throw UNASError.malformedAnswer }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw UNASError.malformedAnswer }
        return try body(XMLElementView(node: root))
    }
}
