import Channels
import ChatModel
import Foundation
import Mustache
import TestSupport
import Testing

@Suite("Email out: SendGrid mail/send bodies")
struct EmailRendererTests {
    static let layout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates/email/layout.mustache")

    static func renderer() throws -> EmailRenderer {
        var settings = EmailSettings(
            fromAddress: "support@example.hu", layout: try MustacheTemplate(string: try String(contentsOf: layout, encoding: .utf8)))
        settings.fromName = "Example Webshop"
        settings.replyTo = "support@inbound.example.hu"
        settings.publicBaseURL = "https://bolt.example.hu"
        settings.unsubscribeKey = "inbound-secret"
        return EmailRenderer(settings: settings)
    }

    static let context = ReplyContext(
        conversation: ConversationKey(channel: .email, accountID: "<gw-1042-7f3a9c@mail.example.hu>", userID: "kovacs.eva@gmail.com"),
        inReplyTo: "<CAHx9QzK1vW+Xy2@mail.gmail.com>", language: .hu, processingTime: .zero,
        subject: "Rendelés #1042 – szállítás", recipientName: "Kovács Éva")

    static func body(_ rendering: Rendering) throws -> NSDictionary {
        let message = try #require(rendering.messages.first)
        return try JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as! NSDictionary
    }

    @Test("a threaded reply matches the mail/send fixture: plain text first, HTML in the layout, our own Message-ID added")
    func fixture() throws {
        let rendering = try Self.renderer().render(
            AgentResponse(replies: [Reply(text: "Kedves Éva!\n\nKüldünk új bögrét.")], agent: .general, confidence: 1), context: Self.context)
        let body = try Self.body(rendering)
        let expected = try Fixtures.json("outbound/sendgrid_mail_send_reply.json")
        var headers = try #require(body["headers"] as? [String: Any])
        let messageID = try #require(headers.removeValue(forKey: "Message-ID") as? String)
        #expect(messageID.hasPrefix("<cb.") && messageID.hasSuffix("@example.hu>"))
        // RFC 3834: other robots (out-of-office replies) do not answer an automatic reply.
        #expect(headers.removeValue(forKey: "Auto-Submitted") as? String == "auto-replied")
        #expect(NSDictionary(dictionary: headers) == expected["headers"] as? NSDictionary)
        #expect(headers["List-Unsubscribe"] == nil, "not marketing")
        let content = try #require(body["content"] as? [NSDictionary])
        let expectedContent = try #require(expected["content"] as? [NSDictionary])
        #expect(content.map { $0["type"] as? String } == ["text/plain", "text/html"])
        #expect(content[0] == expectedContent[0])
        let html = try #require(content[1]["value"] as? String)
        #expect(html.contains(expectedContent[1]["value"] as! String))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        for key in ["from", "subject", "personalizations", "reply_to"] {
            #expect((body[key] as? NSObject) == (expected[key] as? NSObject), "\(key)")
        }
    }

    @Test("cards become a product grid with images, prices and links; quick replies a numbered list the customer answers")
    func productsAndChoices() throws {
        let reply = Reply(
            text: "Ezeket ajánlom:", quickReplies: [QuickReply(title: "Olcsóbbat", payload: "CHEAPER"), QuickReply(title: "Emberrel beszélnék", payload: "HANDOFF")],
            cards: [Card(title: "Kávés bögre <piros>", subtitle: "2 990 Ft", imageURL: "/products/household.svg", url: "https://bolt.example.hu/bogre", sku: "B1",
                         buttons: [.url(title: "Részletek", url: "https://bolt.example.hu/bogre"), .postback(title: "Kosárba", payload: "ADD_TO_CART:B1")])])
        let rendering = try Self.renderer().render(AgentResponse(replies: [reply], agent: .recommendation, confidence: 1), context: Self.context)
        let content = try #require(try Self.body(rendering)["content"] as? [NSDictionary])
        let text = try #require(content[0]["value"] as? String)
        #expect(text.contains("• Kávés bögre <piros> – 2 990 Ft\n  https://bolt.example.hu/bogre"))
        #expect(text.contains("1) Olcsóbbat\n2) Emberrel beszélnék"))
        let html = try #require(content[1]["value"] as? String)
        #expect(html.contains(#"<img src="https://bolt.example.hu/products/household.svg""#))
        #expect(html.contains("Kávés bögre &lt;piros&gt;"), "escaped")
        #expect(html.contains(#"<a class="button" href="https://bolt.example.hu/bogre">Részletek</a>"#))
        #expect(html.contains("<li>Olcsóbbat</li>"))
        #expect(rendering.choices?.map(\.payload) == ["CHEAPER", "HANDOFF"])
    }

    @Test("marketing mail carries List-Unsubscribe with a signed one-click link and a mailto")
    func marketing() throws {
        let rendering = try Self.renderer().render(
            AgentResponse(replies: [Reply(text: "Hétvégi akció: -20% minden bögrére!")], agent: .marketing, confidence: 1), context: Self.context)
        let headers = try #require(try Self.body(rendering)["headers"] as? NSDictionary)
        let value = try #require(headers["List-Unsubscribe"] as? String)
        let token = EmailUnsubscribe(key: "inbound-secret").token(for: "kovacs.eva@gmail.com")
        #expect(value == "<https://bolt.example.hu/unsubscribe/email?address=kovacs.eva%40gmail.com&token=\(token)>, <mailto:support@inbound.example.hu?subject=unsubscribe>")
        #expect(headers["List-Unsubscribe-Post"] as? String == "List-Unsubscribe=One-Click")
        #expect(EmailUnsubscribe(key: "inbound-secret").isValid(token: token, for: "Kovacs.Eva@gmail.com"))
        #expect(!EmailUnsubscribe(key: "other").isValid(token: token, for: "kovacs.eva@gmail.com"))
    }
}
