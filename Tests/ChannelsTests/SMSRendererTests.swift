import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

@Suite("SMS rendering")
struct SMSRendererTests {
    static let conversation = ConversationKey(channel: .sms, accountID: "+3617000123", userID: "+36301234567")

    static func renderer(_ change: (inout SMSSettings) -> Void = { _ in }) -> SMSRenderer {
        var settings = SMSSettings()
        settings.fromNumber = "+3617000123"
        settings.statusCallback = "https://gateway.example.com/webhooks/twilio/status?tenant=demo"
        settings.publicBaseURL = "https://gateway.example.com"
        change(&settings)
        return SMSRenderer(settings: settings)
    }

    static func render(_ replies: Reply..., with renderer: SMSRenderer = renderer(), language: Language = .hu) -> Rendering {
        renderer.render(
            AgentResponse(replies: replies, agent: .general, confidence: 1),
            context: ReplyContext(conversation: conversation, inReplyTo: "SM1", language: language, processingTime: .zero))
    }

    static func fields(_ message: RenderedMessage) -> [String: String] {
        Dictionary(FormEncoding.decode(message.payload), uniquingKeysWith: { a, _ in a })
    }

    @Test("a text reply is the Messages API form of the fixture, byte for byte")
    func fixture() throws {
        let renderer = Self.renderer { $0.messagingServiceSID = "MG4f2a9c8d7e6b5a4f3e2d1c0b9a8f7e6d" }
        let rendering = Self.render(Reply(text: "Köszönjük! A rendelésed (#1042) holnap érkezik."), with: renderer)
        let expected = String(decoding: try Fixtures.data("outbound/twilio_create_message.form"), as: UTF8.self)
        #expect(rendering.messages.map(\.payload) == [expected])
        #expect(rendering.choices == [])
        let fromNumber = Self.fields(Self.render(Reply(text: "Szia!")).messages[0])
        #expect(fromNumber["From"] == "+3617000123" && fromNumber["MessagingServiceSid"] == nil)
    }

    @Test("quick replies and cards become one numbered list; the choices are returned in order")
    func numbered() {
        let reply = Reply(
            text: "Ezeket találtam:",
            quickReplies: [QuickReply(title: "Olcsóbbat", payload: "CHEAPER")],
            cards: [
                Card(title: "Kávés bögre", subtitle: "2 990 Ft", sku: "B1", buttons: [.postback(title: "Kosárba", payload: "ADD_TO_CART:B1")]),
                Card(title: "Pamut póló", subtitle: "4 990 Ft", url: "https://bolt.example.hu/polo", sku: "P1"),
            ])
        let rendering = Self.render(reply)
        #expect(rendering.messages.count == 1)
        #expect(rendering.messages[0].text == "Ezeket találtam:\n1) Kávés bögre – 2 990 Ft\n2) Pamut póló – 4 990 Ft\n3) Olcsóbbat")
        #expect(rendering.choices == [
            QuickReply(title: "Kávés bögre", payload: "ADD_TO_CART:B1"), QuickReply(title: "Pamut póló", payload: "DETAILS:P1"),
            QuickReply(title: "Olcsóbbat", payload: "CHEAPER"),
        ])
        let single = Self.render(Reply(cards: [Card(title: "Pamut póló", url: "/termek/polo", sku: "P1")]))
        #expect(single.messages[0].text == "https://gateway.example.com/termek/polo\n1) Pamut póló", "one card's link is shown")
    }

    @Test("long text keeps the segment budget, shortened after a word; Hungarian is counted as UCS-2")
    func budget() throws {
        let hungarian = String(repeating: "A szállítás általában két munkanap, csomagautomatába is kérhető. ", count: 10)
        let rendering = Self.render(Reply(text: hungarian, quickReplies: [QuickReply(title: "Igen", payload: "Y"), QuickReply(title: "Nem", payload: "N")]))
        let text = try #require(rendering.messages.first?.text)
        #expect(SMSSegments(text).encoding == .ucs2)
        #expect(SMSSegments(text).count == 3)
        #expect(text.hasSuffix("…\n1) Igen\n2) Nem"))
        let kept = String(text.prefix { $0 != "…" })
        #expect(hungarian.hasPrefix(kept), "cut on a character boundary, never inside one")
        #expect(hungarian[hungarian.index(hungarian.startIndex, offsetBy: kept.count)] == " ", "cut after a whole word")
        #expect(rendering.degradations.contains { $0.contains("shortened") })

        let english = String(repeating: "Delivery takes two working days. ", count: 20)
        let gsm = try #require(Self.render(Reply(text: english)).messages.first?.text)
        #expect(SMSSegments(gsm).encoding == .gsm7, "a GSM-7 text is marked with ... and stays GSM-7")
        #expect(gsm.hasSuffix("..."))
        #expect(SMSSegments(gsm).count <= 3 && gsm.count > 400)

        let roomy = Self.renderer { $0.segmentBudget = 20 }
        let capped = try #require(Self.render(Reply(text: english + english + english), with: roomy).messages.first?.text)
        #expect(capped.utf16.count <= 1600, "never over 1,600 characters")
    }

    @Test("with shortening on, links become the gateway's short links, recorded for the redirect")
    func links() throws {
        let renderer = Self.renderer { $0.shortenLinks = true }
        let rendering = Self.render(Reply(text: "Részletek: https://bolt.example.hu/termekek/kaves-bogre-piros-300ml?utm_source=sms"), with: renderer)
        let text = try #require(rendering.messages.first?.text)
        let code = try #require(rendering.links.first?.key)
        #expect(text == "Részletek: https://gateway.example.com/l/\(code)")
        #expect(rendering.links[code] == "https://bolt.example.hu/termekek/kaves-bogre-piros-300ml?utm_source=sms")
        #expect(code.count == 8)
        let plain = Self.render(Reply(text: "Részletek: https://bolt.example.hu/x"))
        #expect(plain.messages.first?.text == "Részletek: https://bolt.example.hu/x" && plain.links.isEmpty)
    }

    @Test("a number, the option's words or #n pick an option; anything else does not")
    func choices() {
        let options = [QuickReply(title: "Rendelésem állapota", payload: "MENU_ORDER"), QuickReply(title: "Termékek", payload: "MENU_PRODUCTS")]
        #expect(NumberedChoices.match("2", in: options)?.payload == "MENU_PRODUCTS")
        #expect(NumberedChoices.match(" 1) ", in: options)?.payload == "MENU_ORDER")
        #expect(NumberedChoices.match("#2", in: options)?.payload == "MENU_PRODUCTS")
        #expect(NumberedChoices.match("rendelesem allapota", in: options)?.payload == "MENU_ORDER")
        #expect(NumberedChoices.match("3", in: options) == nil)
        #expect(NumberedChoices.match("0", in: options) == nil)
        #expect(NumberedChoices.match("2 darab bögre", in: options) == nil)
        #expect(NumberedChoices.match("1", in: []) == nil)
    }

    @Test("compliance keywords in any case, with accents or punctuation; a sentence is not a keyword")
    func keywords() {
        let keywords = SMSKeywords()
        for word in ["STOP", "stop", " Stop! ", "unsubscribe", "Leiratkozás", "LEIRATKOZAS", "quit"] {
            #expect(keywords.command(in: word) == .optOut, "\(word)")
        }
        #expect(keywords.command(in: "start") == .optIn)
        #expect(keywords.command(in: "UNSTOP") == .optIn)
        #expect(keywords.command(in: "Help") == .help)
        #expect(keywords.command(in: "stop the order please") == nil)
        #expect(keywords.command(in: "") == nil)
    }
}
