import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

@Suite("WhatsApp rendering")
struct WhatsAppRendererTests {
    let conversation = ConversationKey(channel: .whatsapp, accountID: "113298471935602", userID: "36209876543")
    let renderer: WhatsAppRenderer = {
        var settings = WhatsAppRenderer.Settings()
        settings.templates = WhatsAppTemplates(["order_shipped": .init(approvedName: "order_shipped", language: "hu", bodyParameters: 2)])
        settings.publicBaseURL = "https://bolt.example.hu"
        return WhatsAppRenderer(profile: .whatsapp, settings: settings)
    }()

    func render(_ replies: Reply..., quoting: Bool = false) -> Rendering {
        renderer.render(
            AgentResponse(replies: replies, agent: .general, confidence: 1),
            context: ReplyContext(
                conversation: conversation, inReplyTo: "wamid.HBgLMzYyMDk4NzY1NDMVAgASGBQzQUI3MEQ4RjE2QjM0MDhCRjQ5NwA=", language: .hu,
                processingTime: .zero, quotesCustomer: quoting))
    }

    func json(_ message: RenderedMessage) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as! NSDictionary
    }

    @Test("text, a quoted reply, an image and a template match the Cloud API fixtures")
    func fixtures() throws {
        let text = try json(render(Reply(text: "Szia! A csomagod holnap érkezik 📦")).messages[0])
        #expect(text == (try Fixtures.json("outbound/wa_send_text.json")))
        let quotedPayload = render(Reply(text: "Rendben, köszönjük!"), quoting: true).messages[0].payload
        var quoted = try JSONSerialization.jsonObject(with: Data(quotedPayload.utf8)) as! [String: Any]
        var words = quoted["text"] as! [String: Any]
        #expect(words.removeValue(forKey: "preview_url") as? Bool == false)
        quoted["text"] = words
        #expect(NSDictionary(dictionary: quoted) == (try Fixtures.json("outbound/wa_send_text_reply_context.json")))
        let image = Reply(media: Media(kind: .image, url: "https://www.example-webshop.hu/img/74531/BOGRE-PIROS-300/kaves-bogre-piros.jpg", caption: "Kávés bögre – piros"))
        let imageBody = try json(render(image).messages[0])
        #expect(imageBody == (try Fixtures.json("outbound/wa_send_image.json")))
        let template = render(Reply(template: TemplateReference(name: "order_shipped", language: "hu", parameters: ["Éva", "#1042"])))
        let templateBody = try json(template.messages[0])
        #expect(templateBody == (try Fixtures.json("outbound/wa_send_template.json")))
    }

    @Test("long text is split on sentences within 4096; an unknown template is left out and noted")
    func limits() throws {
        let sentence = String(repeating: "Ez egy hosszú mondat a szállításról. ", count: 150)
        let rendering = render(Reply(text: sentence))
        #expect(rendering.messages.count == 2)
        #expect(rendering.messages.allSatisfy { ($0.text ?? "").utf16.count <= 4096 })
        #expect(rendering.messages.allSatisfy { $0.text?.hasSuffix(".") == true })
        let unknown = render(Reply(template: TemplateReference(name: "nincs_ilyen", language: "hu")))
        #expect(unknown.messages.isEmpty)
        #expect(unknown.degradations.first?.contains("nincs_ilyen") == true)
    }

    @Test("button titles are cut to 20 and kept unique; list rows keep 24 and 72; relative image links become absolute")
    func interactiveLimits() throws {
        let buttons = render(Reply(text: "Melyik?", quickReplies: [
            QuickReply(title: "Egy nagyon hosszú gomb felirata", payload: "A"), QuickReply(title: "Egy nagyon hosszú gomb felirata", payload: "B"),
            QuickReply(title: "Kettő", payload: "C"),
        ]))
        let body = try json(buttons.messages[0])
        let list = ((body["interactive"] as! NSDictionary)["action"] as! NSDictionary)["buttons"] as! [NSDictionary]
        #expect(list.count == 2)
        #expect(list.allSatisfy { (($0["reply"] as! NSDictionary)["title"] as! String).count <= 20 })
        #expect(buttons.degradations.contains { $0.contains("same title") })

        let card = Card(title: "Philips Series 2200 automata kávéfőző", subtitle: String(repeating: "nagyon jó kávé ", count: 10), imageURL: "/products/household.svg", sku: "KG-001")
        let cards = render(Reply(text: "Ajánlat:", cards: [card]))
        #expect(cards.messages.map(\.kind) == ["image", "interactive_list"])
        #expect(((try json(cards.messages[0])["image"] as! NSDictionary)["link"] as! String) == "https://bolt.example.hu/products/household.svg")
        let rows = (((try json(cards.messages[1])["interactive"] as! NSDictionary)["action"] as! NSDictionary)["sections"] as! [NSDictionary])[0]["rows"] as! [NSDictionary]
        #expect((rows[0]["title"] as! String).count <= 24)
        #expect((rows[0]["description"] as! String).count <= 72)
        #expect(rows[0]["id"] as? String == "DETAILS:KG-001")
    }

    func renderer(footer: String? = "Example Webshop", imageCards: Int = 0, catalog: String? = nil) -> WhatsAppRenderer {
        var settings = renderer.settings
        settings.footer = footer
        settings.imageCards = imageCards
        settings.catalogID = catalog
        return WhatsAppRenderer(profile: .whatsapp, settings: settings)
    }

    func render(with renderer: WhatsAppRenderer, _ reply: Reply) -> Rendering {
        renderer.render(
            AgentResponse(replies: [reply], agent: .productInfo, confidence: 1),
            context: ReplyContext(conversation: conversation, inReplyTo: "", language: .hu, processingTime: .zero))
    }

    @Test("reply buttons and a product list grouped by category match the Cloud API fixtures byte for byte (as JSON)")
    func interactiveFixtures() throws {
        let shop = renderer()
        let confirm = Reply(text: "Megerősíted a rendelést (#1042)?", quickReplies: [
            QuickReply(title: "Megerősítem", payload: "ORDER_CONFIRM:1042"), QuickReply(title: "Lemondom", payload: "ORDER_CANCEL:1042"),
        ])
        let buttons = render(with: shop, confirm)
        #expect(buttons.messages.map(\.kind) == ["interactive_buttons"])
        #expect(try json(buttons.messages[0]) == (try Fixtures.json("outbound/wa_send_interactive_buttons.json")))

        let cards = [
            Card(title: "Kávés bögre piros", subtitle: "300 ml, mosogatógépben mosható – 2 990 Ft", sku: "BOGRE-PIROS-300", category: "Konyha",
                 buttons: [.postback(title: "Részletek", payload: "SKU:BOGRE-PIROS-300")]),
            Card(title: "Pamut póló kék", subtitle: "100% pamut – 4 990 Ft", sku: "POLO-PAMUT-KEK", category: "Ruházat",
                 buttons: [.postback(title: "Részletek", payload: "SKU:POLO-PAMUT-KEK")]),
        ]
        let list = render(with: shop, Reply(text: "Válassz terméket:", cards: cards))
        #expect(list.messages.map(\.kind) == ["interactive_list"])
        #expect(try json(list.messages[0]) == (try Fixtures.json("outbound/wa_send_interactive_list.json")))

        let plain = try json(render(with: renderer(footer: nil), confirm).messages[0])
        #expect((plain["interactive"] as! NSDictionary)["footer"] == nil, "no footer unless configured")
    }

    @Test("with a catalog, product cards become the native carousel (one card: a single-product message); other cards stay a list")
    func carousel() throws {
        let shop = renderer(imageCards: 3, catalog: "1234567890")
        let products = (1...12).map { Card(title: "Termék \($0)", subtitle: "\($0) 990 Ft", imageURL: "/products/p.svg", sku: "SKU-\($0)") }
        let carousel = render(with: shop, Reply(text: "Ezeket ajánlom:", cards: Array(products.prefix(3))))
        #expect(carousel.messages.map(\.kind) == ["interactive_carousel"], "the carousel shows the catalog's images itself")
        let interactive = try json(carousel.messages[0])["interactive"] as! NSDictionary
        #expect(interactive["type"] as? String == "carousel")
        #expect((interactive["body"] as! NSDictionary)["text"] as? String == "Ezeket ajánlom:")
        #expect(interactive["header"] == nil && interactive["footer"] == nil, "a carousel takes no header or footer")
        let wire = (interactive["action"] as! NSDictionary)["cards"] as! [NSDictionary]
        #expect(wire.map { $0["card_index"] as? Int } == [0, 1, 2])
        #expect(wire.allSatisfy { $0["type"] as? String == "product" && ($0["action"] as! NSDictionary)["catalog_id"] as? String == "1234567890" })
        #expect(wire.map { ($0["action"] as! NSDictionary)["product_retailer_id"] as? String } == ["SKU-1", "SKU-2", "SKU-3"])

        let many = render(with: shop, Reply(text: "Sok:", cards: products))
        let manyCards = ((try json(many.messages[0])["interactive"] as! NSDictionary)["action"] as! NSDictionary)["cards"] as! [NSDictionary]
        #expect(manyCards.count == 10)
        #expect(many.degradations.contains { $0.contains("carousel of 10") })

        let single = try json(render(with: shop, Reply(text: "Ez az:", cards: [products[0]])).messages[0])
        let product = single["interactive"] as! NSDictionary
        #expect(product["type"] as? String == "product")
        #expect(product["action"] as? NSDictionary == ["catalog_id": "1234567890", "product_retailer_id": "SKU-1"])

        let notProducts = render(with: shop, Reply(text: "Kategóriák:", cards: [Card(title: "Konyha"), products[0]]))
        #expect(notProducts.messages.map(\.kind) == ["image", "interactive_list"])
    }
}
