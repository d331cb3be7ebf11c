import Foundation
import Testing

@testable import Webshop

@Suite("Catalog search")
struct SearchIndexTests {
    static let products = [
        Product(
            id: "1", sku: "KF-1", name: "Philips eszpresszó kávéfőző", descriptionText: "Automata kávéfőző tejhabosítóval",
            price: 89990, category: "Háztartás|Konyhai kisgépek", brand: "Philips", stock: 4),
        Product(
            id: "2", sku: "KF-2", name: "Tefal filteres kávéfőző", descriptionText: "Egyszerű, olcsó, fekete",
            price: 14990, sale: .init(price: 11990), category: "Háztartás|Konyhai kisgépek", brand: "Tefal", stock: 0),
        Product(
            id: "3", sku: "FH-1", name: "Sony vezeték nélküli fejhallgató", descriptionText: "Zajszűrős fejhallgató, fekete színben",
            price: 59990, category: "Műszaki|Fejhallgatók", brand: "Sony", stock: 10),
        Product(
            id: "4", sku: "CI-1", name: "Adidas női futócipő", descriptionText: "Könnyű cipő kezdő futóknak",
            price: 32990, category: "Sport|Futás", brand: "Adidas", stock: 7,
            parameters: [.init(name: "Szín", value: "piros")]),
        Product(
            id: "5", sku: "BG-1", name: "Kávés bögre", descriptionText: "Kerámia bögre, a kávéfőző mellé",
            price: 2490, category: "Háztartás|Konyhai eszközök", stock: 30),
        Product(
            id: "6", sku: "TEL-9", name: "Samsung Galaxy okostelefon", descriptionText: "128 GB, fekete",
            price: 149990, category: "Műszaki|Mobiltelefonok", brand: "Samsung", stock: 2),
    ]
    static let index = SearchIndex(products: products)

    func skus(_ query: ProductQuery) -> [String] {
        Self.index.search(query).map(\.product.sku)
    }

    @Test("accents and case do not matter", arguments: ["kávéfőző", "kavefozo", "KÁVÉFŐZŐ", "Kavefőzo"])
    func accentFolding(query: String) {
        let found = skus(ProductQuery(query))
        #expect(Set(found.prefix(2)) == ["KF-1", "KF-2"])
    }

    @Test("Hungarian endings find the plain word", arguments: ["kávéfőzőt", "kávéfőzők", "kávéfőzőnek", "kávéfőzőkkel", "fejhallgatót", "futócipőt"])
    func suffixes(query: String) {
        let found = skus(ProductQuery(query))
        #expect(!found.isEmpty)
        #expect(["KF-1", "KF-2", "FH-1", "CI-1"].contains(found.first ?? ""), "\(query) → \(found)")
    }

    @Test("one typo in a longer word is forgiven", arguments: [
        ("kavefozp", "KF"), ("kávéfözö", "KF"), ("kaevfozo", "KF"), ("fejhalgató", "FH"), ("okostelfon", "TEL"), ("futocipo", "CI"),
    ])
    func typos(query: String, skuPrefix: String) {
        #expect(skus(ProductQuery(query)).first?.hasPrefix(skuPrefix) == true, "\(query)")
    }

    @Test("English product words find Hungarian products", arguments: [
        ("coffee maker", "KF"), ("headphones", "FH"), ("running shoes", "CI"), ("smartphone", "TEL"), ("wireless headphones", "FH"),
    ])
    func english(query: String, skuPrefix: String) {
        #expect(skus(ProductQuery(query)).first?.hasPrefix(skuPrefix) == true, "\(query) → \(skus(ProductQuery(query)))")
    }

    @Test("a word finds the compounds it heads or begins", arguments: [("hallgató", "FH-1"), ("telefon", "TEL-9"), ("cipő", "CI-1"), ("futó", "CI-1")])
    func compounds(query: String, sku: String) {
        #expect(skus(ProductQuery(query)).first == sku, "\(query) → \(skus(ProductQuery(query)))")
    }

    @Test("a name match ranks over a description match")
    func fieldRanking() {
        let found = skus(ProductQuery("bögre"))
        #expect(found == ["BG-1"])
        let coffee = skus(ProductQuery("kávéfőző"))
        #expect(coffee.last == "BG-1", "the mug only mentions a coffee maker in its description")
    }

    @Test("every word must match where some product matches them all")
    func allWords() {
        #expect(skus(ProductQuery("fekete fejhallgató")) == ["FH-1"])
        #expect(skus(ProductQuery("piros futócipő")) == ["CI-1"], "colour from the parameters")
        #expect(skus(ProductQuery("Kérek egy Philips kávéfőzőt")) == ["KF-1"], "stop words are ignored")
    }

    @Test("nothing found is an empty answer, not a guess")
    func nothing() {
        #expect(skus(ProductQuery("traktor")).isEmpty)
        #expect(skus(ProductQuery("traktor fűnyíró pótkocsi")).isEmpty)
        #expect(skus(ProductQuery("")).count == Self.products.count, "no words and no filters lists the catalog")
        #expect(skus(ProductQuery("a van")).isEmpty, "stop words alone name nothing")
    }

    @Test("filters: price (the sale price while it runs), stock, category, brand")
    func filters() {
        #expect(skus(ProductQuery("kávéfőző", maxPrice: 12000)) == ["KF-2", "BG-1"], "on sale for 11,990; the mug mentions one")
        #expect(skus(ProductQuery("kávéfőző", minPrice: 50000)) == ["KF-1"])
        #expect(skus(ProductQuery("kávéfőző", inStockOnly: true)).contains("KF-2") == false)
        #expect(Set(skus(ProductQuery("", category: "Műszaki"))) == ["FH-1", "TEL-9"])
        #expect(skus(ProductQuery("", category: "futas")) == ["CI-1"])
        #expect(Set(skus(ProductQuery("kávéfőző", category: "konyhai kisgepek"))) == ["KF-1", "KF-2"])
        #expect(skus(ProductQuery("kávéfőző", brand: "tefal")) == ["KF-2"])
        #expect(skus(ProductQuery("", maxPrice: 5000)) == ["BG-1"])
        #expect(skus(ProductQuery("kávéfőző", limit: 1)).count == 1)
    }

    @Test("in-stock products come first among equals; results carry what a card needs")
    func cards() throws {
        let found = Self.index.search(ProductQuery("kávéfőző"))
        let first = try #require(found.first?.product)
        #expect(first.inStock)
        #expect(first.url == nil && first.imageURL == nil)
        #expect(Self.index.product(sku: "KF-2")?.salePrice(at: Date()) == 11990)
    }

    @Test("folding and stems")
    func folding() {
        #expect(TextFolding.words("Fúró-csavarozó, ŐSZI akció! 20%") == ["furo", "csavarozo", "oszi", "akcio", "20"])
        #expect(TextFolding.fold("Straße Łódź Ærø") == "strasse lodz aero")
        #expect(HungarianStemmer.candidates("telefonokat").contains("telefon"))
        #expect(HungarianStemmer.candidates("cipok").contains("cipo"))
        #expect(HungarianStemmer.candidates("sony") == ["sony"], "short words are kept whole")
    }
}

extension SearchIndexTests {
    @Test("name coverage: 1 when every word names one product (typos and all), less when some word names none, 0 for descriptions only")
    func nameCoverage() {
        #expect(Self.index.nameCoverage("Samsung Galaxy") == 1)
        #expect(Self.index.nameCoverage("samsng galaxy") == 1, "a typo in the brand still names it")
        #expect(Self.index.nameCoverage("Mikor lesz újra Samsung Galaxy?") == 1, "question words name nothing and do not count")
        #expect(Self.index.nameCoverage("Samsung porszívó") == 0.5)
        #expect(Self.index.nameCoverage("tejhabosítóval") == 0, "a word only a description has does not name a product")
        #expect(Self.index.nameCoverage("szia") == 0)
        #expect(Self.index.nameCoverage("") == 0)
        #expect(Self.index.nameCoverage("Samsung Galaxy okostelefon fekete, kérdés lenne a szállítási díjról és a garanciáról is") < 1)
        #expect(Self.index.nameCoverage("Samsung Galaxy okostelefon fekete Samsung Galaxy okostelefon fekete Samsung") == 0, "a sentence is not a name")
    }
}

extension SearchIndexTests {
    static let shop = SearchIndex(
        products: products + [
            Product(
                id: "7", sku: "PS-5", name: "Sony PlayStation 5 Slim játékkonzol", descriptionText: "", price: 199990,
                category: "Műszaki|Játékkonzolok", brand: "Sony", stock: 3),
            Product(
                id: "8", sku: "AS-1", name: "ASUS VivoBook 15 laptop", descriptionText: "", price: 199990, category: "Műszaki|Laptopok",
                brand: "Asus", stock: 3),
            Product(
                id: "9", sku: "TEL-10", name: "Samsung Galaxy S24 256 GB okostelefon", descriptionText: "", price: 329990,
                category: "Műszaki|Mobiltelefonok", brand: "Samsung", stock: 1),
        ],
        synonyms: SearchSynonyms(expansions: ["ps5": "playstation 5", "mobil": "okostelefon", "Kávégép": "kávéfőző"], generic: ["termékek"]))

    func top(_ text: String) -> String? {
        Self.shop.search(ProductQuery(text, limit: 3)).first?.product.sku
    }

    @Test("a shorthand stands for the catalog's words, an everyday word finds the catalog's, generic words narrow nothing")
    func synonyms() {
        #expect(top("ps5") == "PS-5")
        #expect(top("kavegep") == "KF-1", "the synonym, without accents")
        #expect(top("Samsung mobil") != nil)
        #expect(top("ASUS VivoBook termékek") == "AS-1", "the generic word is ignored beside the others")
        #expect(Self.shop.nameCoverage("ps5") == 1)
    }

    @Test("typos scaled by length: two in a long word, one from four letters, a brand from three")
    func typoScale() {
        #expect(top("fejhagato") == "FH-1", "two letters left out of a nine-letter word")
        #expect(top("okostleefon") == "TEL-9" || top("okostleefon") == "TEL-10", "a letter left out and two swapped")
        #expect(top("kéávfőző") == "KF-1" || top("kéávfőző") == "KF-2")
        #expect(top("sonx fejhallgató") == "FH-1", "a four-letter brand")
        #expect(top("bgre") == "BG-1", "a four-letter word one letter short")
        #expect(top("sny") == "FH-1" || top("sny") == "PS-5", "a three-letter word reaches a brand a letter longer")
        #expect(top("bgr") == nil, "but no other word")
        #expect(top("xyzqwvbnm") == nil, "nine letters that are nothing find nothing")
    }

    @Test("the catalog's own number run into a unit (65W) is found written either way")
    func catalogUnits() {
        let index = SearchIndex(products: [
            Product(id: "1", sku: "AN-65", name: "Anker Nano 65W töltő", descriptionText: "", price: 16990, brand: "Anker", stock: 2),
            Product(id: "2", sku: "AN-20", name: "Anker Nano 20W töltő", descriptionText: "", price: 7990, brand: "Anker", stock: 2),
        ])
        for text in ["Anker Nano 65W", "anker 65 w", "nano 65w"] {
            #expect(index.search(ProductQuery(text, limit: 1)).first?.product.sku == "AN-65", "\(text)")
            #expect(index.nameCoverage(text) == 1, "\(text)")
        }
    }

    @Test("between equal matches the shorter name, the one with less besides what was asked, comes first")
    func brevity() {
        let index = SearchIndex(products: [
            Product(id: "1", sku: "DE", name: "Sony PlayStation 5 Digital Edition játékkonzol", descriptionText: "", price: 169990, stock: 2),
            Product(id: "2", sku: "SL", name: "Sony PlayStation 5 játékkonzol", descriptionText: "", price: 199990, stock: 2),
        ])
        #expect(index.search(ProductQuery("playstation 5", limit: 2)).map(\.product.sku) == ["SL", "DE"])
    }

    @Test("a number run into its unit is the catalog's two words; a four-letter brand one letter off is found")
    func unitsAndShortBrands() {
        #expect(top("Galaxy S24 256giga") == "TEL-10")
        #expect(top("galaxy s24 256gb") == "TEL-10")
        #expect(SearchIndex.splitUnit("128giga") == ["128", "gb"])
        #expect(SearchIndex.splitUnit("520bt") == ["520bt"], "a model number is left alone")
        #expect(top("Aaus VivoBook") == "AS-1")
        #expect(top("tefl kávéfőző") == "KF-2", "a typo in a brand of five letters, as before")
    }
}
