import Foundation
import Webshop

/// A generated catalog shaped like a real shop's: brands with product lines and models in their own
/// categories, storage and colour variants, shorthands customers use, prices in bands, some products out
/// of stock. Deterministic for a count; written as a UNAS feed. The agents' evaluation asks about it.
struct ShopCatalog {
    /// One product line of a brand: its models (with the shorthands people type for them) and variants.
    struct Family {
        var category: String
        /// The catalog's word for the kind of product, its accusative, and the everyday words for it.
        var noun: String
        var accusative: String
        var synonyms: [String]
        var english: String
        var brand: String
        var line: String
        var models: [(name: String, shorthands: [String], price: Int)]
        var capacities: [String] = []
        var sizes: [String] = []
    }

    /// One generated product and what it was made of.
    struct Item {
        var sku: String
        var name: String
        var family: Int
        var model: Int
        var capacity: String?
        var colour: String
        var price: Int
        var stock: Int
    }

    static let colours = ["fekete", "fehér", "kék", "szürke", "zöld", "piros"]

    static let families: [Family] = [
        Family(category: "Műszaki|Mobiltelefonok", noun: "okostelefon", accusative: "okostelefont", synonyms: ["mobil", "telefon", "mobiltelefon"],
            english: "phone", brand: "Apple", line: "iPhone",
            models: [("15", ["iphone 15"], 389_990), ("15 Pro", ["iphone 15 pro", "15 pro"], 489_990), ("15 Pro Max", ["iphone 15 pro max", "15 pm"], 569_990)],
            capacities: ["128 GB", "256 GB", "512 GB"]),
        Family(category: "Műszaki|Mobiltelefonok", noun: "okostelefon", accusative: "okostelefont", synonyms: ["mobil", "telefon", "mobiltelefon"],
            english: "phone", brand: "Samsung", line: "Galaxy",
            models: [("S24", ["s24", "galaxy s24"], 329_990), ("S24 Ultra", ["s24 ultra", "s24u"], 499_990), ("A55", ["a55", "galaxy a55"], 149_990),
                     ("A35", ["a35"], 119_990)],
            capacities: ["128 GB", "256 GB"]),
        Family(category: "Műszaki|Mobiltelefonok", noun: "okostelefon", accusative: "okostelefont", synonyms: ["mobil", "telefon"],
            english: "phone", brand: "Xiaomi", line: "Redmi Note",
            models: [("13", ["redmi note 13"], 79_990), ("13 Pro", ["redmi note 13 pro", "note 13 pro"], 119_990)], capacities: ["128 GB", "256 GB"]),
        Family(category: "Műszaki|Játékkonzolok", noun: "játékkonzol", accusative: "játékkonzolt", synonyms: ["konzol", "játékgép"],
            english: "console", brand: "Sony", line: "PlayStation 5",
            models: [("Slim", ["ps5", "ps5 slim", "playstation 5"], 199_990), ("Digital Edition", ["ps5 digital", "ps5 digitalis"], 169_990)]),
        Family(category: "Műszaki|Játékkonzolok", noun: "játékkonzol", accusative: "játékkonzolt", synonyms: ["konzol"],
            english: "console", brand: "Nintendo", line: "Switch",
            models: [("OLED", ["switch oled"], 139_990), ("Lite", ["switch lite"], 79_990)]),
        Family(category: "Műszaki|Játékkonzolok", noun: "játékkonzol", accusative: "játékkonzolt", synonyms: ["konzol"],
            english: "console", brand: "Microsoft", line: "Xbox Series",
            models: [("X", ["xbox series x", "xsx"], 209_990), ("S", ["xbox series s", "xss"], 119_990)]),
        Family(category: "Műszaki|Fejhallgatók", noun: "fejhallgató", accusative: "fejhallgatót", synonyms: ["fülhallgató", "headset"],
            english: "headphones", brand: "Sony", line: "WH-1000XM5",
            models: [("zajszűrős", ["xm5", "wh1000xm5", "1000xm5"], 129_990)]),
        Family(category: "Műszaki|Fejhallgatók", noun: "fejhallgató", accusative: "fejhallgatót", synonyms: ["fülhallgató", "headset"],
            english: "headphones", brand: "JBL", line: "Tune",
            models: [("520BT", ["tune 520bt", "jbl 520"], 19_990), ("720BT", ["tune 720bt", "jbl 720"], 29_990)]),
        Family(category: "Műszaki|Fejhallgatók", noun: "fülhallgató", accusative: "fülhallgatót", synonyms: ["fejhallgató", "earbuds"],
            english: "earbuds", brand: "Apple", line: "AirPods",
            models: [("Pro 2", ["airpods pro 2", "airpods pro"], 99_990), ("4", ["airpods 4"], 64_990)]),
        Family(category: "Műszaki|Laptopok", noun: "laptop", accusative: "laptopot", synonyms: ["notebook", "gép"],
            english: "laptop", brand: "Lenovo", line: "IdeaPad Slim 5",
            models: [("14", ["ideapad slim 5", "ideapad 5"], 299_990), ("16", ["ideapad slim 5 16"], 329_990)]),
        Family(category: "Műszaki|Laptopok", noun: "laptop", accusative: "laptopot", synonyms: ["notebook"],
            english: "laptop", brand: "Apple", line: "MacBook Air",
            models: [("M3 13", ["macbook air m3", "mba m3"], 449_990), ("M3 15", ["macbook air 15", "mba 15"], 549_990)]),
        Family(category: "Műszaki|Laptopok", noun: "laptop", accusative: "laptopot", synonyms: ["notebook"],
            english: "laptop", brand: "ASUS", line: "VivoBook",
            models: [("15", ["vivobook 15"], 199_990), ("Go 14", ["vivobook go"], 149_990)]),
        Family(category: "Műszaki|Okosórák", noun: "okosóra", accusative: "okosórát", synonyms: ["óra", "sportóra"],
            english: "smartwatch", brand: "Garmin", line: "Forerunner",
            models: [("265", ["forerunner 265", "fr265"], 159_990), ("55", ["forerunner 55"], 69_990)]),
        Family(category: "Műszaki|Okosórák", noun: "okosóra", accusative: "okosórát", synonyms: ["óra"],
            english: "smartwatch", brand: "Samsung", line: "Galaxy Watch6",
            models: [("40 mm", ["galaxy watch 6", "watch6"], 84_990), ("Classic 47 mm", ["watch6 classic"], 119_990)]),
        Family(category: "Háztartás|Kávéfőzők", noun: "kávéfőző", accusative: "kávéfőzőt", synonyms: ["kávégép", "espresso gép", "presszógép"],
            english: "coffee machine", brand: "De'Longhi", line: "Magnifica",
            models: [("S ECAM22.110", ["magnifica s", "ecam22"], 139_990), ("Evo", ["magnifica evo"], 189_990)]),
        Family(category: "Háztartás|Kávéfőzők", noun: "kávéfőző", accusative: "kávéfőzőt", synonyms: ["kávégép"],
            english: "coffee machine", brand: "Philips", line: "LatteGo",
            models: [("3200", ["lattego 3200", "ep3246"], 209_990), ("5400", ["lattego 5400"], 289_990)]),
        Family(category: "Háztartás|Porszívók", noun: "porszívó", accusative: "porszívót", synonyms: ["álló porszívó", "akkus porszívó"],
            english: "vacuum", brand: "Dyson", line: "V15",
            models: [("Detect Absolute", ["v15 detect", "dyson v15"], 289_990)]),
        Family(category: "Háztartás|Porszívók", noun: "robotporszívó", accusative: "robotporszívót", synonyms: ["robot porszívó", "porszívó robot"],
            english: "robot vacuum", brand: "Roborock", line: "Q7",
            models: [("Max", ["q7 max"], 129_990), ("Max+", ["q7 max plus", "q7 max+"], 189_990)]),
        Family(category: "Divat|Futócipők", noun: "futócipő", accusative: "futócipőt", synonyms: ["sportcipő", "cipő", "edzőcipő"],
            english: "running shoes", brand: "Nike", line: "Pegasus",
            models: [("40", ["pegasus 40", "peg 40"], 49_990), ("41", ["pegasus 41"], 54_990)], sizes: ["41", "42", "43", "44"]),
        Family(category: "Divat|Futócipők", noun: "futócipő", accusative: "futócipőt", synonyms: ["sportcipő", "cipő"],
            english: "running shoes", brand: "Adidas", line: "Ultraboost",
            models: [("Light", ["ultraboost light", "ub light"], 64_990), ("5", ["ultraboost 5"], 69_990)], sizes: ["40", "42", "44"]),
        Family(category: "Divat|Pólók", noun: "póló", accusative: "pólót", synonyms: ["felső", "tshirt"],
            english: "t-shirt", brand: "Puma", line: "Essentials",
            models: [("Logo", ["puma logo polo"], 8_990)], sizes: ["S", "M", "L", "XL"]),
        Family(category: "Játék|Építőjátékok", noun: "építőjáték", accusative: "építőjátékot", synonyms: ["építőkészlet", "legó", "készlet"],
            english: "building set", brand: "LEGO", line: "City",
            models: [("60337 Expresszvonat", ["60337", "lego vonat"], 54_990), ("60316 Rendőrkapitányság", ["60316", "lego rendorseg"], 39_990)]),
        Family(category: "Játék|Építőjátékok", noun: "építőjáték", accusative: "építőjátékot", synonyms: ["építőkészlet", "legó"],
            english: "building set", brand: "LEGO", line: "Technic",
            models: [("42151 Bugatti Bolide", ["42151", "technic bugatti"], 24_990), ("42154 Ford GT", ["42154", "technic ford"], 44_990)]),
        Family(category: "Barkács|Fúrógépek", noun: "fúró-csavarozó", accusative: "fúró-csavarozót", synonyms: ["fúrógép", "csavarozó", "akkus fúró"],
            english: "drill", brand: "Makita", line: "DDF485",
            models: [("18V alapgép", ["ddf485", "makita fúró"], 59_990), ("18V 2 akkuval", ["ddf485 akkuval"], 119_990)]),
        Family(category: "Barkács|Fúrógépek", noun: "fúró-csavarozó", accusative: "fúró-csavarozót", synonyms: ["fúrógép", "csavarozó"],
            english: "drill", brand: "Bosch", line: "GSR 18V-55",
            models: [("Professional", ["gsr 18v-55", "gsr18v"], 74_990)]),
        Family(category: "Konyha|Serpenyők", noun: "serpenyő", accusative: "serpenyőt", synonyms: ["palacsintasütő", "lábas"],
            english: "frying pan", brand: "Tefal", line: "Ingenio",
            models: [("Easy Cook 24 cm", ["ingenio 24"], 12_990), ("Expertise 28 cm", ["ingenio 28"], 18_990)]),
        Family(category: "Műszaki|Kábelek és töltők", noun: "töltő", accusative: "töltőt", synonyms: ["gyorstöltő", "adapter"],
            english: "charger", brand: "Anker", line: "Nano",
            models: [("20W USB-C", ["anker 20w"], 7_990), ("65W", ["anker 65w"], 16_990)]),
        Family(category: "Műszaki|Kábelek és töltők", noun: "kábel", accusative: "kábelt", synonyms: ["töltőkábel", "usb kábel"],
            english: "cable", brand: "Anker", line: "PowerLine",
            models: [("USB-C 1 m", ["usb c kabel"], 3_990), ("Lightning 1 m", ["lightning kabel"], 4_990)]),
        Family(category: "Ajándékkártyák", noun: "ajándékkártya", accusative: "ajándékkártyát", synonyms: ["ajándékutalvány", "utalvány"],
            english: "gift card", brand: "ChatBuddy Shop", line: "Ajándékkártya",
            models: [("10 000 Ft", ["ajandekkartya"], 10_000), ("25 000 Ft", ["25e ajandekkartya"], 25_000)]),
    ]

    /// Which categories go with which (for "what goes with X").
    static let companions: [String: [String]] = [
        "Műszaki|Mobiltelefonok": ["Műszaki|Kábelek és töltők", "Műszaki|Fejhallgatók", "Műszaki|Okosórák"],
        "Műszaki|Játékkonzolok": ["Műszaki|Fejhallgatók"],
        "Műszaki|Laptopok": ["Műszaki|Kábelek és töltők", "Műszaki|Fejhallgatók"],
        "Háztartás|Kávéfőzők": [],
        "Divat|Futócipők": ["Műszaki|Okosórák", "Divat|Pólók"],
    ]

    let items: [Item]

    /// About `count` products: every family's models in turn, in every capacity (or size) and colour.
    init(count: Int) {
        var random = SplitMix(seed: 7)
        var items: [Item] = []
        var round = 0
        while items.count < count {
            for (familyIndex, family) in Self.families.enumerated() where items.count < count {
                for (modelIndex, model) in family.models.enumerated() where items.count < count {
                    let capacities = family.capacities.isEmpty ? [nil] : family.capacities.map(Optional.some)
                    let capacity = capacities[(round + modelIndex) % capacities.count]
                    let colour = Self.colours[(round * 3 + familyIndex + modelIndex) % Self.colours.count]
                    let size = family.sizes.isEmpty ? nil : family.sizes[round % family.sizes.count]
                    var name = "\(family.brand) \(family.line) \(model.name)"
                    if let capacity { name += " \(capacity)" }
                    name += " \(family.noun), \(colour)"
                    if let size { name += ", \(size)" }
                    if round >= Self.colours.count * max(1, capacities.count) { name += " (\(round / Self.colours.count). kiadás)" }
                    let capacityIndex = capacity.flatMap { family.capacities.firstIndex(of: $0) } ?? 0
                    let price = (model.price + capacityIndex * model.price / 5 + random.next(20) * 500) / 10 * 10
                    let stock = [0, 3, 8, 15, 2, 40, 0, 6][random.next(8)]
                    items.append(Item(
                        sku: "\(family.brand.filter(\.isLetter).prefix(3).uppercased())-\(200_000 + items.count)", name: name, family: familyIndex,
                        model: modelIndex, capacity: capacity, colour: colour, price: price, stock: stock))
                }
            }
            round += 1
        }
        self.items = items
    }

    /// The catalog's products as a shop's import reads them: written as a UNAS feed and read back.
    func imported() throws -> [Product] {
        let feed = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-shop-\(UUID().uuidString).xml").path
        try write(to: feed)
        defer { try? FileManager.default.removeItem(atPath: feed) }
        let reader = try UNASFeedReader(path: feed)
        var products: [Product] = []
        while let entry = try reader.next() { if let product = entry.product { products.append(product) } }
        return products
    }

    /// Writes the catalog as a UNAS feed.
    func write(to path: String) throws {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>\n<Products>\n"
        for item in items {
            let family = Self.families[item.family]
            let description = "\(family.brand) \(family.line) \(family.models[item.model].name) \(family.noun). Szín: \(item.colour)."
            let capacity = item.capacity.map { "<Param><Id>3</Id><Type>text</Type><Name><![CDATA[Kapacitás]]></Name><Value><![CDATA[\($0)]]></Value></Param>" } ?? ""
            text += """
                <Product><State>live</State><Id>\(item.sku.filter(\.isNumber))</Id><Sku>\(item.sku)</Sku>\
                <Statuses><Status><Type>base</Type><Value>1</Value></Status></Statuses>\
                <Name><![CDATA[\(item.name)]]></Name><Unit>db</Unit>\
                <Description><Short><![CDATA[\(description)]]></Short></Description>\
                <Prices><Vat>27%</Vat><Price><Type>normal</Type><Net>\(Double(item.price) / 1.27)</Net><Gross>\(item.price)</Gross></Price></Prices>\
                <Categories><Category><Type>base</Type><Id>\(item.family)</Id><Name><![CDATA[\(family.category)]]></Name></Category></Categories>\
                <Url>https://shop.example.hu/\(item.sku.lowercased())</Url><SefUrl>\(item.sku.lowercased())</SefUrl>\
                <Stocks><Status><Active>1</Active></Status><Stock><Qty>\(item.stock)</Qty></Stock></Stocks>\
                <Params><Param><Id>1</Id><Type>text</Type><Name><![CDATA[Márka]]></Name><Value><![CDATA[\(family.brand)]]></Value></Param>\
                <Param><Id>2</Id><Type>text</Type><Name><![CDATA[Szín]]></Name><Value><![CDATA[\(item.colour)]]></Value></Param>\(capacity)</Params></Product>

                """
        }
        text += "</Products>\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
