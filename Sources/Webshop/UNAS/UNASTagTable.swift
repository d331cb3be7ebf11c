import CLibXML2

/// The elements the mapping knows, by the address of their name in the parser's dictionary: the parser reports
/// every element name as a pointer into it, so a name met before is told by its address, without reading it.
///
/// Open addressing over a fixed number of slots; names not known at first are added as they are met until half
/// the slots are taken, after which further new names are read each time (`UNASProductFields.Tag(name:)`).
struct UNASTagTable {
    private static let slotBits = 8
    private static let capacity = 1 << slotBits
    private var addresses = [UInt](repeating: 0, count: UNASTagTable.capacity)
    private var tags = [UNASProductFields.Tag](repeating: .other, count: UNASTagTable.capacity)
    private var count = 0

    /// A table of the mapping's element names as interned in `dictionary`.
    init(dictionary: xmlDictPtr) {
        for (name, tag) in UNASProductFields.Tag.byName {
            if let interned = xmlDictLookup(dictionary, name, -1) { insert(interned, tag) }
        }
    }

    /// The element whose name the parser reported at `name`.
    mutating func tag(_ name: UnsafePointer<xmlChar>) -> UNASProductFields.Tag {
        let address = UInt(bitPattern: name)
        var slot = Self.slot(of: address)
        while addresses[slot] != 0 {
            if addresses[slot] == address { return tags[slot] }
            slot = (slot + 1) & (Self.capacity - 1)
        }
        let tag = UNASProductFields.Tag(name: String(cString: name))
        if count < Self.capacity / 2 { insert(name, tag) }
        return tag
    }

    private mutating func insert(_ name: UnsafePointer<xmlChar>, _ tag: UNASProductFields.Tag) {
        let address = UInt(bitPattern: name)
        var slot = Self.slot(of: address)
        while addresses[slot] != 0 {
            if addresses[slot] == address { return }
            slot = (slot + 1) & (Self.capacity - 1)
        }
        addresses[slot] = address
        tags[slot] = tag
        count += 1
    }

    /// Fibonacci hashing of the address: its top bits after a multiplication spread nearby addresses apart.
    private static func slot(of address: UInt) -> Int {
        Int(truncatingIfNeeded: (UInt64(address) &* 0x9E37_79B9_7F4A_7C15) >> (64 - UInt64(slotBits)))
    }
}
