import Agents
import ChatModel
import Foundation
import Testing
import Webshop

/// A shop whose models come in variants (capacity, colour), and questions customers ask about it: cheaper
/// than, instead of, goes with, gift cards by name and in English, a product word next to a bot word.
@Suite("Recommendations and routing over a shop with variants")
struct VariantShopTests {
    static func phone(_ sku: String, _ model: String, _ capacity: String, _ colour: String, _ price: Double, stock: Double = 5) -> Product {
        Product(
            id: sku, sku: sku, name: "Xiaomi Redmi Note \(model) \(capacity) okostelefon, \(colour)", descriptionText: "", price: price,
            category: "Műszaki|Mobiltelefonok", brand: "Xiaomi", stock: stock,
            parameters: [.init(name: "Kapacitás", value: capacity), .init(name: "Szín", value: colour)])
    }

    static let products: [Product] = [
        phone("X-1", "13", "128 GB", "fekete", 79_990), phone("X-2", "13", "256 GB", "kék", 95_990),
        phone("X-3", "13 Pro", "128 GB", "fekete", 119_990), phone("X-4", "13 Pro", "256 GB", "zöld", 139_990),
        Product(id: "C-1", sku: "C-1", name: "Anker PowerLine USB-C kábel, fekete", descriptionText: "", price: 3_990, category: "Műszaki|Kábelek és töltők", brand: "Anker", stock: 9),
        Product(id: "H-1", sku: "H-1", name: "JBL Tune 520BT fejhallgató, fehér", descriptionText: "", price: 19_990, category: "Műszaki|Fejhallgatók", brand: "JBL", stock: 9),
        Product(id: "L-1", sku: "L-1", name: "ASUS VivoBook Go 14 laptop, szürke", descriptionText: "", price: 89_990, category: "Műszaki|Laptopok", brand: "ASUS", stock: 9),
        Product(id: "L-2", sku: "L-2", name: "Lenovo IdeaPad Slim 5 16 laptop, szürke", descriptionText: "", price: 329_990, category: "Műszaki|Laptopok", brand: "Lenovo", stock: 9),
        Product(id: "G-1", sku: "G-1", name: "Shop Ajándékkártya 10 000 Ft", descriptionText: "", price: 10_000, category: "Ajándékkártyák", brand: "Shop", stock: 99),
        Product(id: "G-2", sku: "G-2", name: "Shop Ajándékkártya 25 000 Ft", descriptionText: "", price: 25_000, category: "Ajándékkártyák", brand: "Shop", stock: 99),
        Product(id: "K-1", sku: "K-1", name: "Philips LatteGo 3200 kávéfőző", descriptionText: "", price: 209_990, category: "Háztartás|Kávéfőzők", brand: "Philips", stock: 3),
        Product(id: "K-2", sku: "K-2", name: "De'Longhi Magnifica S kávéfőző", descriptionText: "", price: 139_990, category: "Háztartás|Kávéfőzők", brand: "De'Longhi", stock: 3),
    ]

    static func say(_ text: String) async throws -> (AgentResponse, [String]) {
        let resources = try await AgentResources.load(directory: AgentHarness.templates)
        let shop = UNASWebshop(catalog: Catalog(synonyms: resources.searchSynonyms), client: nil)
        _ = shop.catalog.replace(products)
        var dialogue = Dialogue(try EmbeddedAgents.graph(resources: resources, webshop: shop))
        let answer = try await dialogue.say(text)
        return (answer, answer.replies.flatMap { $0.cards ?? [] }.compactMap(\.sku))
    }

    @Test("cheaper than the cheapest model: its own cheaper variant, never a dearer one")
    func cheaperVariant() async throws {
        let (answer, skus) = try await Self.say("Van olcsóbb a Xiaomi Redmi Note 13 256 GB-nál?")
        #expect(answer.agent == .recommendation)
        #expect(skus == ["X-1"])
    }

    @Test("cheaper than a model: other models below all its variants; a longer name is another model, not a variant")
    func cheaperModel() async throws {
        let (answer, skus) = try await Self.say("anything cheaper than the Xiaomi Redmi Note 13 Pro?")
        #expect(answer.agent == .recommendation)
        #expect(skus == ["X-2", "X-1"], "the Redmi Note 13 is another model than the 13 Pro; the closest price first")
    }

    @Test("'instead of X' and 'goes with X' ask for advice even when the classifier reads them otherwise")
    func alternativeWords() async throws {
        let (instead, insteadSkus) = try await Self.say("Philips LatteGo 3200 helyett mi jó még?")
        #expect(instead.agent == .recommendation)
        #expect(insteadSkus == ["K-2"])
        let (with, withSkus) = try await Self.say("what goes well with the Xiaomi Redmi Note 13 Pro?")
        #expect(with.agent == .recommendation)
        #expect(withSkus.first == "C-1", "the cheapest category (accessories) first")
        #expect(!withSkus.contains { $0.hasPrefix("X-") })
    }

    @Test("money in a product's name is its name, not a budget; an English product phrase is not a request word")
    func giftCards() async throws {
        let (named, namedSkus) = try await Self.say("Shop Ajándékkártya 25 000 Ft")
        #expect(named.agent == .productInfo)
        #expect(namedSkus.first == "G-2")
        let (budget, budgetSkus) = try await Self.say("Can you recommend a gift card under 20000 Ft?")
        #expect(budget.agent == .recommendation)
        #expect(budgetSkus == ["G-1"])
        let (coffee, coffeeSkus) = try await Self.say("Can you recommend a coffee machine under 150000 Ft?")
        #expect(coffee.agent == .recommendation)
        #expect(coffeeSkus == ["K-2"])
    }

    @Test("a kind of product with nothing within the budget is told so, never filled with another kind")
    func nothingWithinBudget() async throws {
        let (answer, skus) = try await Self.say("Ajánlj egy laptopot 50 ezer forint alatt")
        #expect(answer.agent == .recommendation)
        #expect(skus.isEmpty)
        let (anything, anySkus) = try await Self.say("Ajánlj valami szépet 15 ezer forint alatt")
        #expect(anything.agent == .recommendation)
        #expect(!anySkus.isEmpty && anySkus.allSatisfy { sku in Self.products.first { $0.sku == sku }!.price <= 15_000 })
    }

    @Test("a budget with a product word is not an order number")
    func budgetNotOrder() async throws {
        let (answer, skus) = try await Self.say("kávéfőző 150000 Ft alatt")
        #expect(answer.agent == .recommendation)
        #expect(skus == ["K-2"])
    }

    @Test("a product's full name beside one word the classifier reads as another intent is about the product")
    func strongCatalogMatch() async throws {
        let (answer, skus) = try await Self.say("gép Lenovo IdeaPad Slim 5 16")
        #expect(answer.agent == .productInfo)
        #expect(skus.first == "L-2")
        let (bot, _) = try await Self.say("Nem akarok géppel beszélni")
        #expect(bot.agent == .handoff)
    }
}
