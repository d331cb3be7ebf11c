import Foundation
import Markup
import Testing

@testable import Webshop

@Suite("UNAS feed reader")
struct UNASFeedReaderTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/unas")

    static func entries(_ name: String) throws -> (entries: [UNASFeedEntry], position: UNASFeedReader.Position) {
        let reader = try UNASFeedReader(path: fixtures.appendingPathComponent(name).path)
        var entries: [UNASFeedEntry] = []
        while let entry = try reader.next() { entries.append(entry) }
        return (entries, reader.position)
    }

    @Test("the documentation's full product: prices, sale, categories, images, variants, parameters")
    func docsExample() throws {
        let (entries, position) = try Self.entries("getProduct_docs_example_full.xml")
        #expect(entries.count == 1)
        #expect(position.skipped == 0)
        let product = try #require(entries.first?.product)
        #expect(product.id == "200000")
        #expect(product.sku == "Cikkszam2")
        #expect(product.name == "Termék név 2")
        #expect(product.unit == "csomag")
        #expect(product.price == 2540)
        #expect(product.netPrice == 2000)
        #expect(product.vat == "27%")
        #expect(product.sale?.price == 1270)
        #expect(product.sale?.start == UNASDate.parse("2015.01.01"))
        #expect(product.sale?.end == nil, "an empty End is an open sale")
        #expect(product.salePrice(at: Date()) == 1270)
        #expect(product.category == "Főcsoport1|Alcsoport1")
        #expect(product.alternativeCategories == ["Főcsoport1|Alcsoport2"])
        #expect(product.url == "http://teszt.unas.hu/Cikkszam1")
        #expect(product.images == ["http://teszt.unas.hu/img/elso.jpg", "http://teszt.unas.hu/img/masodik.jpg"])
        #expect(product.variants == [.init(name: "Szín", values: [.init(name: "Kék"), .init(name: "Piros", extraPrice: 100)])])
        #expect(product.parameter("Paraméter 1") == "Környakú")
        #expect(product.parameter("Paraméter 5") == "100")
        #expect(product.parameter("garancia") == "Egy év", "Datas count as parameters")
        #expect(product.active)
        #expect(product.stock == nil, "no Stocks element: stock is not tracked")
        #expect(product.descriptionText == "rövid leírás ez már hosszabb")
    }

    @Test("ISO-8859-2, CDATA, entities and HTML; deleted products and products without a sku")
    func latin2() throws {
        let (entries, position) = try Self.entries("feed_latin2.xml")
        #expect(entries.map(\.sku) == ["KF-100", "OLD-1"])
        #expect(entries[1].product == nil, "State=deleted")
        #expect(position.products == 2)
        #expect(position.skipped == 1)
        let product = try #require(entries[0].product)
        #expect(product.name == "Tűzpiros kávéfőző - őszi akció")
        #expect(product.shortDescription == "<p>Eszpresszó&nbsp;kávéfőző</p><p>tejhabosítóval</p>", "kept for display")
        #expect(product.longDescription == "Ár & érték: kiváló <3")
        #expect(product.descriptionText == "Eszpresszó kávéfőző tejhabosítóval Ár & érték: kiváló <3")
        #expect(product.netPrice == 39362.2047)
        #expect(product.stock == 5.5, "summed over stock rows")
        #expect(product.brand == "Őrláng")
        let saleStart = try #require(UNASDate.parse("2026.11.01 00:00:00"))
        let saleEnd = try #require(UNASDate.parse("2026.12.01"))
        #expect(product.salePrice(at: saleStart) == 39990)
        #expect(product.salePrice(at: saleEnd.addingTimeInterval(-1)) == 39990, "the End day is part of the sale")
        #expect(product.salePrice(at: saleEnd) == nil)
        #expect(product.salePrice(at: saleStart.addingTimeInterval(-1)) == nil)
        #expect(product.currentPrice(at: saleEnd) == 49990)
    }

    @Test("a malformed document stops at the first error with file, line and column")
    func malformed() throws {
        let reader = try UNASFeedReader(path: Self.fixtures.appendingPathComponent("feed_malformed.xml").path)
        // libxml2 parses ahead, so the error may surface before or after the first product is handed out.
        let error = #expect(throws: UNASFeedError.self) {
            while try reader.next() != nil {}
        }
        #expect(error?.line == 4)
        #expect((error?.column ?? 0) > 0)
        #expect(error?.description.hasPrefix(Self.fixtures.appendingPathComponent("feed_malformed.xml").path + ":4:") == true)
        #expect(error?.reason.contains("Nam") == true)
    }

    @Test("descriptions as text: tags are word breaks, entities resolved, white space and no-break spaces collapsed")
    func htmlText() {
        #expect(HTMLText.words("<p>Első</p><p>második&nbsp;&amp; <b>harmadik</b></p>") == "Első második & harmadik")
        #expect(HTMLText.words("<script>x()</script><style>p{}</style>szöveg") == "szöveg")
        #expect(HTMLText.collapse("  a\u{00A0}\u{00A0}b \n\t ő ű©  ") == "a b ő ű©")
        #expect(HTMLText.collapse("") == "")
    }

    @Test("read as it streams, a product is what a lookup in its tree finds: first occurrences, empty and unknown elements")
    func streamingAgreesWithTree() throws {
        let feed = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Products><Extra><Product><Sku>NOT-IN-A-PRODUCT</Sku></Product></Extra>
            <Product><Sku>S-1</Sku><Sku>S-2</Sku><Name>Első <b>félkövér</b> név</Name><Unit/>
              <Description><Short>rövid</Short></Description><Description><Short>második</Short></Description>
              <Prices><Vat>27%</Vat><Price><Type>sale</Type><Gross>nan</Gross></Price><Price><Type>normal</Type><Gross>1 000</Gross><Gross>990</Gross></Price>
                <Price><Type>normal</Type><Gross>5</Gross></Price></Prices>
              <Stocks><Status><Active>1</Active></Status><Status><Active>0</Active></Status><Stock><Qty>2</Qty></Stock><Stock><Qty>3,5</Qty></Stock></Stocks>
              <Statuses><Status><Type>base</Type><Value>1</Value></Status></Statuses>
              <Variants><Variant><Name>Méret</Name><Values><Value><Name>S</Name></Value></Values><Values><Value><Name>XL</Name></Value></Values></Variant></Variants>
              <Params><Param><Name>Márka</Name><Value>Őrláng</Value><Unknown><Name>x</Name></Unknown></Param></Params>
              <Weight><Type>base</Type></Weight></Product>
            <Product/><Product><Name>no sku</Name></Product>
            </Products>
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("feed-shapes-\(UUID().uuidString).xml")
        try Data(feed.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let reader = try UNASFeedReader(path: file.path)
        var streamed: [UNASFeedEntry] = []
        while let entry = try reader.next() { streamed.append(entry) }
        let tree = try UNASXML.withRoot(Array(feed.utf8)) { root in root.children("Product").compactMap(UNASProductMapping.entry) }
        #expect(streamed == tree)
        #expect(reader.position.skipped == 2, "an empty product and one without a sku")
        let product = try #require(streamed.first?.product)
        #expect(streamed.count == 1, "a Product inside another element is not one of the feed's")
        #expect(product.sku == "S-1")
        #expect(product.name == "Első félkövér név", "all the text inside")
        #expect(product.unit == nil)
        #expect(product.shortDescription == "rövid")
        #expect(product.price == 0, "the first Gross of the first normal price, which is not a number")
        #expect(product.sale == nil, "NaN is no price")
        #expect(product.stock == 5.5)
        #expect(product.variants == [.init(name: "Méret", values: [.init(name: "S")])])
        #expect(product.brand == "Őrláng")
    }

    @Test("declared entities: their references are left out of a text, the first reference as every later one")
    func declaredEntities() throws {
        let feed = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE Products [<!ENTITY brand "Őrláng"><!ENTITY bold "<b>vastag</b> szöveg">]>
            <Products><Product><Sku>E-1</Sku><Name>A &brand; kávéfőző &amp; &#337;</Name>
              <Description><Short>&bold; rövid</Short><Long>hosszú &bold;</Long></Description></Product>
            <Product><Sku>E-2</Sku><Name>B &brand;</Name><Unit>&bold;</Unit></Product></Products>
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("feed-entities-\(UUID().uuidString).xml")
        try Data(feed.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let reader = try UNASFeedReader(path: file.path)
        var products: [Product] = []
        while let entry = try reader.next() { products.append(try #require(entry.product)) }
        #expect(products.map(\.sku) == ["E-1", "E-2"])
        #expect(products.map(\.name) == ["A  kávéfőző & ő", "B"])
        #expect(products[0].shortDescription == "rövid")
        #expect(products[0].longDescription == "hosszú")
        #expect(products[1].unit == nil)
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        #expect(throws: UNASFeedError.self) { try UNASFeedReader(path: "/nonexistent/feed.xml").next() }
    }

    @Test("UNAS dates: days, times, the day's end, and nonsense")
    func dates() {
        let calendarDay = UNASDate.parse("2026.03.15")
        #expect(calendarDay != nil)
        #expect(UNASDate.parse("2026.03.15", endOfDay: true) == calendarDay?.addingTimeInterval(86_400))
        #expect(UNASDate.parse("2019.01.01 0:00") == UNASDate.parse("2019.01.01"))
        #expect(UNASDate.parse("2026.02.30x") == nil)
        #expect(UNASDate.parse("soon") == nil)
    }

    @Test("a product's digest tells its texts apart where they begin and end, and a missing text from an empty one")
    func digestsTellTextsApart() {
        var first = UNASProductFields()
        first.sku = "A"
        first.name = "bc"
        var moved = first
        moved.sku = "Ab"
        moved.name = "c"
        var empty = first
        empty.unit = ""
        var again = UNASProductFields()
        again.sku = "A"
        again.name = "bc"
        #expect(first.digest() == again.digest())
        #expect(Set([first.digest(), moved.digest(), empty.digest()]).count == 3)
    }
}
