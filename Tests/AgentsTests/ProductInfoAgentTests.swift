import Agents
import ChatModel
import Foundation
import Testing
import Webshop

@Suite("Product answers from the catalog")
struct ProductInfoAgentTests {
    static let products = [
        Product(
            id: "1", sku: "KF-1", name: "Tefal filteres kávéfőző", price: 14990, sale: .init(price: 12990),
            url: "https://shop.example.hu/kf-1", images: ["/products/household.svg"], stock: 3),
        Product(id: "2", sku: "KF-2", name: "Philips automata kávéfőző", price: 1_299_990, url: "https://shop.example.hu/kf-2", stock: 0),
        Product(id: "3", sku: "FC-1", name: "Asics futócipő", price: 32990, stock: 5),
    ]

    func agent() async throws -> BuiltInAgent {
        let templates = try await ReplyTemplates(directory: GeneralAgentTests.templates, required: BuiltInAgent.templateNames)
        let catalog = Catalog()
        catalog.replace(Self.products)
        return BuiltInAgent(
            general: GeneralAgent(templates: templates),
            products: ProductInfoAgent(webshop: UNASWebshop(catalog: catalog, client: nil), templates: templates))
    }

    func ask(_ text: String, locale: Language = .hu) async throws -> AgentResponse {
        let key = ConversationKey(channel: .widget, accountID: "web", userID: "s")
        return try await agent().respond(to: ConversationState(
            key: key, mode: .bot, locale: locale, history: [],
            event: InboundEvent(conversation: key, platformID: "m", timestamp: Date(), content: .text(text))))
    }

    @Test("a product question gets cards: price, sale, stock, details link, add-to-cart only when it can be bought")
    func cards() async throws {
        let response = try await ask("Van kávéfőzőtök?")
        #expect(response.agent == .productInfo)
        let reply = try #require(response.replies.first)
        #expect(reply.text == "Ezeket a termékeket találtam:")
        let cards = reply.cards ?? []
        #expect(cards.map(\.sku) == ["KF-1", "KF-2"])
        #expect(cards[0].subtitle == "12 990 Ft (akciós, 14 990 Ft helyett) · Raktáron")
        #expect(cards[0].imageURL == "/products/household.svg")
        #expect(cards[0].buttons == [.url(title: "Részletek", url: "https://shop.example.hu/kf-1"), .postback(title: "Kosárba", payload: "ADD_TO_CART:KF-1")])
        #expect(cards[1].subtitle == "1 299 990 Ft · Nincs raktáron")
        #expect(cards[1].buttons == [.url(title: "Részletek", url: "https://shop.example.hu/kf-2")])
    }

    @Test("in English, with English product words")
    func english() async throws {
        let response = try await ask("Do you sell running shoes?", locale: .en)
        #expect(response.agent == .productInfo)
        #expect(response.replies.first?.text == "Here are the products I found:")
        #expect(response.replies.first?.cards?.first?.subtitle == "32 990 Ft · In stock")
        #expect(response.replies.first?.cards?.first?.buttons.last == .postback(title: "Add to cart", payload: "ADD_TO_CART:FC-1"))
    }

    @Test("greetings stay with the general agent; words the catalog does not know get the honest fallback")
    func notProducts() async throws {
        #expect(try await ask("Szia!").agent == .general)
        #expect(try await ask("Köszönöm!").agent == .general)
        let unknown = try await ask("Mikor jön a traktor?")
        #expect(unknown.agent == .general)
        #expect(unknown.replies.first?.cards == nil)
        #expect(unknown.replies.first?.text?.contains("milyen terméket keresel") == true)
    }
}
