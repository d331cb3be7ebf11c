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
}
