import Agents
import ChatModel
import Foundation
import TestSupport
import Testing
import Webshop

@Suite("Dialogues through the embedded graph over the sample catalog")
struct ConversationTests {
    @Test("product question, then a follow-up on colour and on size refers to the product shown")
    func productFollowUp() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let first = try await dialogue.say("Van Adidas pólótok?")
        #expect(first.agent == .productInfo)
        #expect(first.skus.first == "PL-001")
        let card = try #require(first.replies.flatMap { $0.cards ?? [] }.first)
        #expect(card.subtitle?.contains("Raktáron") == true)
        #expect(card.buttons.contains(.postback(title: "Kosárba", payload: "ADD_TO_CART:PL-001")))
        #expect(dialogue.memory.lastProducts.first == "PL-001")

        let colour = try await dialogue.say("és fekete színben?")
        #expect(colour.agent == .productInfo)
        #expect(colour.text.hasPrefix("fekete színben"))
        #expect(colour.skus.contains("PL-001"))

        let size = try await dialogue.say("Van XXL-es méretben?")
        #expect(size.agent == .productInfo)
        #expect(size.text.contains("nem kapható"))
        #expect(size.text.contains("S, M, L, XL"))

        let white = try await dialogue.say("és rózsaszínben?")
        #expect(white.agent == .productInfo)
        #expect(!white.skus.contains("PL-001"), "the Adidas shirt is black; pink shirts are others")
        #expect(white.skus.allSatisfy { sku in AgentHarness.sampleProducts.first { $0.sku == sku }?.parameter("Szín") == "rózsaszín" })
    }

    @Test("a stock question gets a sentence from the product's data; nothing found is said plainly")
    func facts() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let stock = try await dialogue.say("Raktáron van a Philips kenyérpirító?")
        #expect(stock.text.contains("Philips kenyérpirító jelenleg nincs raktáron"))
        let warranty = try await dialogue.say("Mennyi a garancia a Fiskars késre?")
        #expect(warranty.text.contains("garanciája: 5 év"))
        let none = try await dialogue.say("Van traktorgumitok?")
        #expect(none.agent == .productInfo)
        #expect(none.skus.isEmpty)
        #expect(none.text.contains("nem találtam"))
    }

    @Test("order status: asks the number, refuses a wrong email without revealing anything, answers the right one")
    func orderStatus() async throws {
        let upstream = FakeUpstream()
        let order = try String(contentsOf: AgentHarness.root.appendingPathComponent("Tests/Fixtures/unas/getOrder_docs_example.xml"), encoding: .utf8)
        await upstream.enqueue([
            .init(status: 200, body: "<?xml version=\"1.0\"?><Login><Token>t</Token><Expire>2099.01.01 00:00:00</Expire></Login>"),
            .init(status: 200, body: order), .init(status: 200, body: order),
        ])
        try await upstream.serve { base in
            let shop = AgentHarness.sampleShop(orders: UNASClient(baseURL: base + "/shop", apiKey: "key"))
            var dialogue = Dialogue(try await AgentHarness.graph(shop: shop))
            let ask = try await dialogue.say("Hol tart a rendelésem?")
            #expect(ask.agent == .orderStatus)
            #expect(ask.text.contains("rendelésszámot"))
            #expect(dialogue.memory.awaiting == .orderNumber)

            let number = try await dialogue.say("1000-1000000")
            #expect(number.agent == .orderStatus)
            #expect(number.text.contains("e-mail-címet vagy telefonszámot"))
            #expect(dialogue.memory.awaiting == .orderVerification)

            let wrong = try await dialogue.say("valaki@example.hu")
            #expect(wrong.text.contains("nem tudom azonosítani"))
            #expect(!wrong.text.contains("Beérkezett"), "nothing of the order is revealed")
            #expect(dialogue.memory.failedVerifications == 1)

            let right = try await dialogue.say("unas@unas.hu")
            #expect(right.agent == .orderStatus)
            #expect(right.text.contains("1000-1000000"))
            #expect(right.text.contains("Beérkezett"))
            #expect(right.text.contains("kifizetve"))
            #expect(dialogue.memory.verifiedOrders == ["1000-1000000"])
            #expect(await upstream.requests.map(\.path) == ["/shop/login", "/shop/getOrder", "/shop/getOrder"])
        }
    }

    @Test("cancelling, address changes and returns are explained and a human is offered")
    func orderChanges() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let cancel = try await dialogue.say("Szeretném lemondani a rendelésemet")
        #expect(cancel.agent == .orderStatus)
        #expect(cancel.text.contains("lemondani"))
        #expect(cancel.replies.last?.quickReplies?.map(\.payload) == ["HANDOFF"])
        let refund = try await dialogue.say("I'd like to return the shoes I ordered")
        #expect(refund.text.contains("within 14 days"))
    }

    @Test("a budget recommendation stays under the budget and puts in-stock products first")
    func budgetRecommendation() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say("Tudnál ajánlani egy fejhallgatót 30 ezer forint alatt?")
        #expect(answer.agent == .recommendation)
        let products = answer.skus.compactMap { sku in AgentHarness.sampleProducts.first { $0.sku == sku } }
        #expect(!products.isEmpty)
        #expect(products.allSatisfy { $0.currentPrice(at: Date()) < 30_000 })
        #expect(products.contains { $0.sku == "FH-002" })
        let stock = products.map(\.inStock)
        #expect(stock == stock.sorted { $0 && !$1 }, "in stock first")

        let cheaper = try await dialogue.say("van olcsóbb?")
        #expect(cheaper.agent == .recommendation)
        #expect(!cheaper.skus.isEmpty)

        var english = Dialogue(try await AgentHarness.graph())
        let gift = try await english.say("What should I buy for my 10 year old son?")
        #expect(gift.agent == .recommendation)
        #expect(gift.text.hasPrefix("Here's what I'd recommend"))
        #expect(gift.skus.contains { sku in AgentHarness.sampleProducts.first { $0.sku == sku }?.name.contains("gyerek") == true })
    }

    @Test("promotions, coupons and unsubscribing, recorded as consent")
    func marketing() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let promotions = try await dialogue.say("Van most valami akció?")
        #expect(promotions.agent == .marketing)
        #expect(promotions.text.contains("Kávéfőző hetek"))
        #expect(promotions.replies.last?.quickReplies?.first?.payload == "SUBSCRIBE:newsletter")
        #expect(try await dialogue.say("Érvényes még az UDV10 kupon?").text.contains("10% kedvezmény"))
        #expect(try await dialogue.say("és a NYAR20?").text.contains("lejárt"))
        #expect(try await dialogue.say("Érvényes a KAMU99 kód?").text.contains("nem ismerem"))

        let unsubscribe = try await dialogue.say("Iratkozzatok le a hírlevélről")
        #expect(unsubscribe.agent == .marketing)
        #expect(unsubscribe.actions == [.consent(.newsletter, granted: false)])
        #expect(dialogue.consents[.newsletter] == false)
        let again = try await dialogue.say("Milyen akciók vannak most?")
        #expect(again.replies.last?.quickReplies == nil, "no newsletter offer after saying no")

        var sms = Dialogue(try await AgentHarness.graph())
        #expect(try await sms.say("Stop sending me text messages").actions == [.consent(.sms, granted: false)])
    }

    @Test("asking for a human hands over: the request is recorded and the customer told")
    func handoff() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say("Élő ügyintézővel szeretnék beszélni")
        #expect(answer.agent == .handoff)
        #expect(answer.actions == [.handoff(reason: "Élő ügyintézővel szeretnék beszélni")])
        #expect(answer.text.contains("kollégámnak"))
        var tapped = Dialogue(try await AgentHarness.graph())
        #expect(try await tapped.tap("Munkatársat kérek", "HANDOFF").agent == .handoff)
    }

    @Test("general questions come from the knowledge file, in both languages; the unknown gets the menu")
    func general() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let greeting = try await dialogue.say("Szia!")
        #expect(greeting.text.hasPrefix("Szia! A ChatBuddy vagyok"))
        #expect(greeting.replies.first?.quickReplies?.map(\.payload) == ["MENU_PRODUCTS", "MENU_ORDER", "MENU_CONTACT"])
        #expect(try await dialogue.say("Milyen fizetési módok vannak?").text.contains("SimplePay"))
        #expect(try await dialogue.say("Bot vagy?").text.contains("nem ember"))
        var english = Dialogue(try await AgentHarness.graph())
        #expect(try await english.say("What is your return policy?").text.contains("within 14 days"))
        #expect(try await english.say("Are you a bot?").text.contains("not a person"))
        let contact = try await english.tap("Contact", "MENU_CONTACT")
        #expect(contact.text.contains("hello@shop.example.hu"), "the shop's own contacts pass the output guardrails")
    }

    @Test("every turn records each node with its outcome, in order")
    func trace() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say("Van kávéfőzőtök?")
        #expect(answer.trace.map(\.node) == ["input_guardrails", "coordinator", "product_info", "output_guardrails"])
        #expect(answer.trace[1].outcome == "routed:product_info")
        #expect(answer.trace.allSatisfy { $0.milliseconds >= 0 })
    }
}
