import Agents
import ChatModel
import Foundation
import Testing
import Webshop

@Suite("Coordinator decisions")
struct CoordinatorTests {
    func route(_ dialogue: inout Dialogue, _ text: String) async throws -> String? {
        let answer = try await dialogue.say(text)
        return answer.trace.first { $0.node == "coordinator" }?.outcome
    }

    @Test("a bare order number is an order question only when it was asked for, or stands alone")
    func bareOrderNumber() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        _ = try await dialogue.say("Hol tart a rendelésem?")
        #expect(try await route(&dialogue, "a számom 1000-1000123") == "routed:order_status")
        #expect(dialogue.memory.orderKey == "1000-1000123")
        var fresh = Dialogue(try await AgentHarness.graph())
        #expect(try await route(&fresh, "1000-1000456") == "routed:order_status")
    }

    @Test("an email after the bot asked for verification stays with the order, whatever the words")
    func verificationAnswer() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        _ = try await dialogue.say("Hol tart a rendelésem?")
        _ = try await dialogue.say("1000-1000123")
        #expect(dialogue.memory.awaiting == .orderVerification)
        #expect(try await route(&dialogue, "ez az: kis.janos@example.hu") == "routed:order_status")
    }

    @Test("unclear words get a question with the topics, and a tapped topic routes")
    func clarify() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say("hmm")
        #expect(answer.trace[1].outcome == "clarify")
        #expect(answer.replies.last?.quickReplies?.map(\.payload) == ["ROUTE:product_info", "ROUTE:order_status", "ROUTE:recommendation", "HANDOFF"])
        #expect(dialogue.memory.awaiting == .clarification)
        let tapped = try await dialogue.tap("Ajánlás", "ROUTE:recommendation")
        #expect(tapped.agent == .recommendation)
        #expect(tapped.text.contains("Szívesen ajánlok"))
    }

    @Test("a coupon code goes to marketing; 'cheaper' after products goes to recommendation")
    func shortFollowUps() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        #expect(try await route(&dialogue, "és a TELEFON5000?") == "routed:marketing")
        _ = try await dialogue.say("Van Samsung telefonotok?")
        #expect(try await route(&dialogue, "van olcsóbb?") == "routed:recommendation")
    }

    @Test("the English side: order, product and human requests")
    func english() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let order = try await dialogue.say("Where is my order?")
        #expect(order.agent == .orderStatus)
        #expect(order.text.contains("order number"))
        let product = try await dialogue.say("Do you have the JBL Flip 6 in stock?")
        #expect(product.agent == .productInfo)
        #expect(product.text.contains("JBL Flip 6 hordozható Bluetooth hangszóró is in stock"))
        #expect(try await dialogue.say("I want to talk to a human").agent == .handoff)
    }

    @Test("a bare product name, a model number or a misspelt brand searches instead of asking what was meant")
    func namedProduct() async throws {
        for text in ["JBL Tune 520BT", "Samsng Galaxy A55", "a55", "Mikor lesz újra JBL Tune 520BT?"] {
            var dialogue = Dialogue(try await AgentHarness.graph())
            let answer = try await dialogue.say(text)
            #expect(answer.agent == .productInfo, "\(text)")
            #expect(answer.replies.flatMap { $0.cards ?? [] }.isEmpty == false, "\(text) shows products")
        }
        var unclear = Dialogue(try await AgentHarness.graph())
        #expect(try await route(&unclear, "hmm") == "clarify", "words that name nothing still get the question")
    }

    @Test("a kind of product with a budget asks for suggestions within it, however the budget is written")
    func budget() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say("laptop kellene max 300e ft")
        #expect(answer.agent == .recommendation)
        let skus = answer.replies.flatMap { $0.cards ?? [] }.compactMap(\.sku)
        #expect(!skus.isEmpty)
        var products: [Product] = []
        for sku in skus { products.append(try #require(try await AgentHarness.sampleShop().product(sku: sku))) }
        #expect(products.allSatisfy { $0.currentPrice(at: Date()) <= 300_000 })
        #expect(products.first?.category == "Műszaki|Laptopok")
    }
}
