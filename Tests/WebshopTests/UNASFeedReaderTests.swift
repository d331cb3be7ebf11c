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
}
