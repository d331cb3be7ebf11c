import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

@Suite("Messenger rendering")
struct MessengerRendererTests {
    let renderer = MessengerRenderer(profile: .messenger)
    let conversation = ConversationKey(channel: .messenger, accountID: "106540352242922", userID: "7294628746593021")

    func render(_ reply: Reply) -> Rendering {
        renderer.render(
            AgentResponse(replies: [reply], agent: .general, confidence: 1),
            context: ReplyContext(conversation: conversation, inReplyTo: "m1", language: .hu, processingTime: .zero))
    }

    /// The request body, checked to carry our echo metadata and compared without it (the fixtures are the
    /// Send API's own examples).
    func json(_ message: RenderedMessage) throws -> NSDictionary {
        var body = try #require(try JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as? [String: Any])
        var inner = try #require(body["message"] as? [String: Any])
        #expect(inner.removeValue(forKey: "metadata") as? String == "gw:chatbuddy")
        body["message"] = inner
        return NSDictionary(dictionary: body)
    }

    func message(_ body: NSDictionary) -> NSDictionary {
        body["message"] as! NSDictionary
    }

    @Test("text matches the Send API fixture")
    func text() throws {
        let rendering = render(Reply(text: "Szia! Igen, van még raktáron 🙂"))
        #expect(rendering.messages.count == 1)
        #expect(rendering.degradations.isEmpty)
        #expect(try json(rendering.messages[0]) == Fixtures.json("outbound/messenger_send_text.json"))
    }

    @Test("quick replies match the fixture")
    func quickReplies() throws {
        let reply = Reply(
            text: "Milyen színt szeretnél?",
            quickReplies: [QuickReply(title: "Piros", payload: "COLOR_RED"), QuickReply(title: "Kék", payload: "COLOR_BLUE")])
        let rendering = render(reply)
        #expect(try json(rendering.messages[0]) == Fixtures.json("outbound/messenger_send_quick_replies.json"))
    }

    @Test("cards become a generic-template carousel matching the fixture")
    func carousel() throws {
        let addToCart = #"{"action":"ADD_TO_CART","sku":"BOGRE-PIROS-300","qty":1}"#
        let reply = Reply(cards: [
            Card(
                title: "Kávés bögre – piros, 300 ml", subtitle: "2 990 Ft · raktáron",
                imageURL: "https://www.example-webshop.hu/img/74531/BOGRE-PIROS-300/kaves-bogre-piros.jpg",
                url: "https://www.example-webshop.hu/BOGRE-PIROS-300", sku: "BOGRE-PIROS-300",
                buttons: [.url(title: "Megnézem", url: "https://www.example-webshop.hu/BOGRE-PIROS-300"),
                          .postback(title: "Kosárba teszem", payload: addToCart)]),
            Card(
                title: "Pamut póló – kék", subtitle: "4 990 Ft",
                imageURL: "https://www.example-webshop.hu/img/74531/POLO-PAMUT-KEK/pamut-polo-kek.jpg", sku: "POLO-PAMUT-KEK",
                buttons: [.postback(title: "Kosárba teszem", payload: #"{"action":"ADD_TO_CART","sku":"POLO-PAMUT-KEK","qty":1}"#)]),
        ])
        let rendering = render(reply)
        #expect(rendering.messages.map(\.kind) == ["generic_template"])
        #expect(try json(rendering.messages[0]) == Fixtures.json("outbound/messenger_send_generic_carousel.json"))
    }

    @Test("a single card with buttons is a button template")
    func buttonTemplate() throws {
        let reply = Reply(cards: [Card(title: "Miben segíthetünk?", buttons: [
            .url(title: "Szállítási infó", url: "https://www.example-webshop.hu/szallitas"),
            .postback(title: "Rendelésem", payload: "MY_ORDERS"),
        ])])
        let rendering = render(reply)
        #expect(rendering.messages.map(\.kind) == ["button_template"])
        #expect(try json(rendering.messages[0]) == Fixtures.json("outbound/messenger_send_button_template.json"))
    }

    @Test("media becomes an attachment matching the fixture")
    func media() throws {
        let url = "https://www.example-webshop.hu/img/74531/BOGRE-PIROS-300/kaves-bogre-piros.jpg"
        let rendering = render(Reply(media: Media(kind: .image, url: url)))
        #expect(try json(rendering.messages[0]) == Fixtures.json("outbound/messenger_send_image.json"))
    }

    @Test("long text is split within 2000 characters and every piece is sent")
    func longText() throws {
        let sentence = "Ez egy hosszú mondat a termék részleteiről, őszintén és árvíztűrő tükörfúrógéppel. "
        let text = String(repeating: sentence, count: 60)
        let rendering = render(Reply(text: text, quickReplies: [QuickReply(title: "Köszi", payload: "THANKS")]))
        #expect(rendering.messages.count > 1)
        let texts = try rendering.messages.map { try message(json($0))["text"] as! String }
        #expect(texts.allSatisfy { $0.utf16.count <= 2000 && $0.hasSuffix(".") })
        #expect(texts.joined(separator: " ") == text.trimmingCharacters(in: .whitespaces))
        // Quick replies ride on the last piece only.
        let chips = try rendering.messages.map { try message(json($0))["quick_replies"] != nil }
        #expect(chips == Array(repeating: false, count: texts.count - 1) + [true])
        #expect(rendering.degradations == ["text split into \(texts.count) messages"])
    }

    @Test("more than 13 quick replies become a numbered list")
    func tooManyQuickReplies() throws {
        let options = (1...15).map { QuickReply(title: "Opció \($0)", payload: "OPT_\($0)") }
        let rendering = render(Reply(text: "Válassz:", quickReplies: options))
        let body = message(try json(rendering.messages[0]))
        #expect(body["quick_replies"] == nil)
        let text = body["text"] as! String
        #expect(text.hasPrefix("Válassz:\n\n1) Opció 1\n2) Opció 2\n"))
        #expect(text.hasSuffix("15) Opció 15"))
        #expect(rendering.degradations == ["15 quick replies shown as a numbered list"])
    }

    @Test("titles are shortened with …, overflow cards and buttons are cut, long payloads dropped")
    func limits() throws {
        let longTitle = "Elektromos fogkefe töltővel és három pótfejjel, utazótokkal, fehér színben, 2 év garanciával"
        let cards = (1...12).map { index in
            Card(title: "\(index). \(longTitle)", subtitle: longTitle, sku: "SKU-\(index)", buttons: [
                .postback(title: "Kosárba teszem most azonnal", payload: "ADD_\(index)"),
                .postback(title: "B", payload: "B"), .postback(title: "C", payload: "C"), .postback(title: "D", payload: "D"),
            ])
        }
        let options = [
            QuickReply(title: "Nagyon hosszú válaszlehetőség címe", payload: "LONG"),
            QuickReply(title: "Túl nagy", payload: String(repeating: "p", count: 1001)),
        ]
        let rendering = render(Reply(text: "Ajánlatok", quickReplies: options, cards: cards))
        #expect(rendering.messages.map(\.kind) == ["text", "generic_template+quick_replies"])
        let carousel = message(try json(rendering.messages[1]))
        let elements = ((carousel["attachment"] as! NSDictionary)["payload"] as! NSDictionary)["elements"] as! [NSDictionary]
        #expect(elements.count == 10)
        for element in elements {
            let title = element["title"] as! String
            #expect(title.utf16.count <= 80 && title.hasSuffix("…"))
            #expect((element["subtitle"] as! String).utf16.count <= 80)
            let buttons = element["buttons"] as! [NSDictionary]
            #expect(buttons.count == 3)
            #expect((buttons[0]["title"] as! String).utf16.count <= 20)
        }
        let chips = carousel["quick_replies"] as! [NSDictionary]
        #expect(chips.count == 1)
        #expect((chips[0]["title"] as! String) == "Nagyon hosszú…")
        #expect(rendering.degradations.contains("12 cards shown as 10"))
        #expect(rendering.degradations.contains("quick reply 'Túl nagy' dropped: payload too long"))
    }

    @Test("a template reference is dropped on Messenger and reported")
    func template() {
        let rendering = render(Reply(text: "Szia", template: TemplateReference(name: "order_update", language: "hu")))
        #expect(rendering.messages.count == 1)
        #expect(rendering.degradations == ["message template dropped: Messenger has none"])
    }
}
