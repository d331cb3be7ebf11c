import Foundation

/// A product's stored JSON, written straight into bytes: the same text `CatalogCoding.encoder` writes (sorted keys,
/// unescaped slashes, dates as seconds), which stored catalogs hold and `CatalogCoding.decoder` reads, at a fraction
/// of a generic encoder's cost per product of an import.
enum ProductJSON {
    /// The product's JSON; nil when a number in it is not finite, which JSON cannot hold.
    static func encode(_ product: Product) -> String? {
        var writer = Writer()
        writer.bytes.reserveCapacity(1024 + (product.shortDescription?.utf8.count ?? 0) + (product.longDescription?.utf8.count ?? 0)
            + product.descriptionText.utf8.count)
        writer.open()
        writer.member("active", product.active)
        writer.member("alternativeCategories") { writer in writer.array(product.alternativeCategories) { $0.string($1) } }
        writer.member("brand", product.brand)
        writer.member("category", product.category)
        writer.member("descriptionText", product.descriptionText)
        writer.member("id", product.id)
        writer.member("images") { writer in writer.array(product.images) { $0.string($1) } }
        writer.member("longDescription", product.longDescription)
        writer.member("name", product.name)
        writer.member("netPrice", product.netPrice)
        writer.member("parameters") { writer in
            writer.array(product.parameters) { writer, parameter in
                writer.open()
                writer.member("group", parameter.group)
                writer.member("name", parameter.name)
                writer.member("value", parameter.value)
                writer.close()
            }
        }
        writer.member("price", product.price)
        if let sale = product.sale {
            writer.member("sale") { writer in
                writer.open()
                writer.member("end", sale.end?.timeIntervalSince1970)
                writer.member("price", sale.price)
                writer.member("start", sale.start?.timeIntervalSince1970)
                writer.close()
            }
        }
        writer.member("shortDescription", product.shortDescription)
        writer.member("sku", product.sku)
        writer.member("stock", product.stock)
        writer.member("unit", product.unit)
        writer.member("url", product.url)
        writer.member("variants") { writer in
            writer.array(product.variants) { writer, variant in
                writer.open()
                writer.member("name", variant.name)
                writer.member("values") { writer in
                    writer.array(variant.values) { writer, value in
                        writer.open()
                        writer.member("extraPrice", value.extraPrice)
                        writer.member("name", value.name)
                        writer.close()
                    }
                }
                writer.close()
            }
        }
        writer.member("vat", product.vat)
        writer.close()
        return writer.failed ? nil : String(decoding: writer.bytes, as: UTF8.self)
    }

    /// JSON text written member by member; a member whose value is nil is left out, as `encodeIfPresent` does.
    private struct Writer {
        var bytes: [UInt8] = []
        var failed = false
        /// Whether the object being written has no member yet.
        private var empty = true

        mutating func open() {
            bytes.append(UInt8(ascii: "{"))
            empty = true
        }

        mutating func close() {
            bytes.append(UInt8(ascii: "}"))
            empty = false
        }

        mutating func member(_ key: StaticString, _ write: (inout Writer) -> Void) {
            if !empty { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
            write(&self)
            empty = false
        }

        mutating func member(_ key: StaticString, _ value: String?) {
            guard let value else { return }
            member(key) { $0.string(value) }
        }

        mutating func member(_ key: StaticString, _ value: Double?) {
            guard let value else { return }
            member(key) { $0.number(value) }
        }

        mutating func member(_ key: StaticString, _ value: Bool) {
            member(key) { $0.bytes.append(contentsOf: value ? "true".utf8 : "false".utf8) }
        }

        mutating func array<Element>(_ elements: [Element], _ write: (inout Writer, Element) -> Void) {
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(&self, element)
            }
            bytes.append(UInt8(ascii: "]"))
        }

        /// A number as `JSONEncoder` writes it: Swift's shortest form, without a trailing `.0`.
        mutating func number(_ value: Double) {
            guard value.isFinite else {
                failed = true
                return
            }
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes.append(contentsOf: text.utf8)
        }

        /// A string, escaped as `JSONEncoder` escapes it (slashes left alone), its plain runs copied whole.
        mutating func string(_ value: String) {
            bytes.append(UInt8(ascii: "\""))
            var value = value
            value.withUTF8 { utf8 in
                var plain = 0
                for index in utf8.indices {
                    let byte = utf8[index]
                    guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plain..<index]))
                    escape(byte)
                    plain = index + 1
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plain...]))
            }
            bytes.append(UInt8(ascii: "\""))
        }

        private mutating func escape(_ byte: UInt8) {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            default:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
    }
}
