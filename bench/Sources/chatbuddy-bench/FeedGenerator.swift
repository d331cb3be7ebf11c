import Foundation

/// Writes a synthetic UNAS product feed of `count` products (deterministic), in the getProduct shape.
enum FeedGenerator {
    static let categories = [
        "Műszaki|Mobiltelefonok", "Műszaki|Fejhallgatók", "Műszaki|Laptopok", "Háztartás|Konyhai kisgépek",
        "Háztartás|Porszívók", "Divat|Pólók", "Divat|Cipők", "Sport|Futás", "Sport|Kerékpárok", "Játék|Építőjátékok",
    ]
    static let brands = ["Samsung", "Philips", "Bosch", "Tefal", "Xiaomi", "Lenovo", "Adidas", "Puma", "LEGO", "Makita"]
    static let nouns = [
        "okostelefon", "fejhallgató", "laptop", "kávéfőző", "porszívó", "póló", "futócipő", "kerékpár", "építőkészlet",
        "fúró-csavarozó", "serpenyő", "hátizsák", "okosóra", "egér",
    ]
    static let adjectives = ["prémium", "klasszikus", "vezeték nélküli", "kompakt", "vízálló", "könnyű", "gyerek", "női", "férfi"]
    static let colours = ["fehér", "fekete", "kék", "zöld", "piros", "szürke", "bézs", "rózsaszín"]

    static func write(count: Int, to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
            throw BenchError("cannot write \(path)")
        }
        defer { try? file.close() }
        var random = SplitMix(seed: 1)
        var chunk = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Products>\n"
        for index in 0..<count {
            let brand = brands[random.next(brands.count)], noun = nouns[random.next(nouns.count)]
            let adjective = adjectives[random.next(adjectives.count)], colour = colours[random.next(colours.count)]
            let category = categories[random.next(categories.count)]
            let sku = "\(brand.prefix(3).uppercased())-\(1_000_000 + index)"
            let gross = 990 + random.next(49_900) * 10
            let stock = [0, 0, 1, 2, 5, 10, 25, 100][random.next(8)]
            let sale = random.next(100) < 15
                ? "<Price><Type>sale</Type><Gross>\(gross * 8 / 10)</Gross><Start>2026.11.01</Start><End>2026.12.31</End></Price>" : ""
            let description = "A \(brand) \(noun) \(adjective) kivitelben, \(colour) színben. Megbízható minőség, "
                + "\(1 + random.next(3)) év garancia, gyors szállítás &amp; egyszerű visszaküldés."
            chunk += """
                <Product><State>live</State><Id>\(1_000_000 + index)</Id><Sku>\(sku)</Sku>\
                <Statuses><Status><Type>base</Type><Value>1</Value></Status></Statuses>\
                <Name><![CDATA[\(brand) \(adjective) \(noun), \(colour)]]></Name><Unit><![CDATA[db]]></Unit>\
                <Description><Short><![CDATA[\(description)]]></Short>\
                <Long><![CDATA[<p>\(description)</p><ul><li>\(adjective)</li><li>\(colour)</li></ul>]]></Long></Description>\
                <Prices><Vat>27%</Vat><Price><Type>normal</Type><Net>\(Double(gross) / 1.27)</Net><Gross>\(gross)</Gross></Price>\(sale)</Prices>\
                <Categories><Category><Type>base</Type><Id>\(index % 100)</Id><Name><![CDATA[\(category)]]></Name></Category></Categories>\
                <Url>https://shop.example.hu/\(sku.lowercased())</Url><SefUrl>\(sku.lowercased())</SefUrl>\
                <Images><Image><Type>base</Type><SefUrl>https://shop.example.hu/img/\(sku.lowercased()).jpg</SefUrl></Image></Images>\
                <Stocks><Status><Active>1</Active></Status><Stock><Qty>\(stock)</Qty></Stock></Stocks></Product>

                """
            if chunk.utf8.count > 1 << 20 {
                try file.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        chunk += "</Products>\n"
        try file.write(contentsOf: Data(chunk.utf8))
    }
}

/// A small deterministic random source (SplitMix64).
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
