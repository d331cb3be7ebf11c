import Channels
import ChatModel
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

@Suite("Telegram: updates in, Bot API calls out")
struct TelegramTests {
    static let webhook = TelegramWebhook(botID: "123456789")
    static let chat = ConversationKey(channel: .telegram, accountID: "123456789", userID: "7001002003")

    static func parse(_ fixture: String) throws -> WebhookBatch {
        try webhook.parse(Fixtures.data("telegram/\(fixture).json"))
    }

    @Test("messages, edited messages, photos, locations and contacts become events keyed by update_id")
    func updates() throws {
        let text = try #require(try Self.parse("update_text").events.first)
        #expect(text.conversation == Self.chat)
        #expect(text.platformID == "918273001")
        #expect(text.content == .text("Szia! Van piros bögrétek?"))
        #expect(text.senderName == "Éva Kovács")
        #expect(text.timestamp == Date(timeIntervalSince1970: 1_764_676_800))

        let edited = try #require(try Self.parse("update_edited").events.first)
        #expect(edited.platformID == "918273002" && edited.content == .text("Szia! Van kék bögrétek?"))

        let photo = try #require(try Self.parse("update_photo").events.first)
        #expect(photo.content == .attachments([Attachment(kind: .image, mediaID: "AgACAgQAAxkBAAIBlarge")], caption: "Ez a bögre megvan?"))

        let location = try #require(try Self.parse("update_location").events.first)
        #expect(location.content == .location(Location(latitude: 47.497913, longitude: 19.040236)))

        let contact = try #require(try Self.parse("update_contact").events.first)
        #expect(contact.content == .attachments([Attachment(kind: .contact, title: "Éva Kovács, +36301234567")], caption: nil))

        let post = try Self.parse("update_channel_post")
        #expect(post.events.isEmpty && post.ignored == ["update"])
    }

    @Test("a button tap is a postback with the button's words, carrying the callback query to answer")
    func callbackQuery() throws {
        let tap = try #require(try Self.parse("update_callback_query").events.first)
        #expect(tap.conversation == Self.chat)
        #expect(tap.content == .postback(title: "Rendelésem", payload: "MENU_ORDER", referral: nil))
        #expect(tap.platformID.hasPrefix("918273006"))
        let answer = TelegramRenderer(profile: .telegram).render(
            AgentResponse(replies: [Reply(text: "Mi a rendelésszámod?")], agent: .orderStatus, confidence: 1),
            context: ReplyContext(conversation: Self.chat, inReplyTo: tap.platformID, language: .hu, processingTime: .zero))
        #expect(answer.messages.map(\.kind) == ["answer_callback", "text"])
        #expect(try Self.call(answer.messages[0]).params["callback_query_id"] as? String == "4382bfdwdsb323b2d9")
    }

    @Test("bodies that are not updates are refused with where they fail")
    func malformed() {
        #expect(throws: MalformedWebhookBody(reason: "body is not valid JSON")) { try Self.webhook.parse(Data("{".utf8)) }
        #expect(throws: MalformedWebhookBody(reason: "update_id is required")) { try Self.webhook.parse(Data(#"{"message":{}}"#.utf8)) }
    }

    /// A stored call as method and parameters.
    static func call(_ message: RenderedMessage) throws -> (method: String, params: NSDictionary) {
        let json = try #require(try JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as? NSDictionary)
        return (try #require(json["method"] as? String), try #require(json["params"] as? NSDictionary))
    }

    static func render(_ reply: Reply) -> Rendering {
        TelegramRenderer(profile: .telegram, publicBaseURL: "https://chat.example.hu").render(
            AgentResponse(replies: [reply], agent: .productInfo, confidence: 1),
            context: ReplyContext(conversation: chat, inReplyTo: "918273001", language: .hu, processingTime: .zero))
    }

    @Test("text splits at 4,096 characters; quick replies ride on the last message as an inline keyboard")
    func textAndKeyboard() throws {
        let long = String(repeating: "Bögre és csésze. ", count: 300)
        let rendering = Self.render(Reply(text: long, quickReplies: [.init(title: "Termékek", payload: "MENU_PRODUCTS")]))
        #expect(rendering.messages.map(\.kind) == ["text", "text+keyboard"])
        let first = try Self.call(rendering.messages[0])
        #expect(first.method == "sendMessage" && first.params["chat_id"] as? String == "7001002003")
        #expect((first.params["text"] as? String)!.count <= 4096)
        let keyboard = try #require((try Self.call(rendering.messages[1]).params["reply_markup"] as? NSDictionary)?["inline_keyboard"] as? [[NSDictionary]])
        #expect(keyboard.map { $0.map { $0["callback_data"] as? String } } == [["MENU_PRODUCTS"]])
        #expect(rendering.degradations == ["text split into 2 messages"])
    }

    @Test("a payload over callback_data's 64 bytes goes as a reference the channel keeps, and comes back resolved")
    func longPayloads() throws {
        let long = "HANDOFF:" + String(repeating: "a visszaküldött bögre ", count: 4)
        let rendering = Self.render(Reply(text: "Segíthetek?", quickReplies: [.init(title: "Kollégát kérek", payload: long)]))
        let keyboard = try #require((try Self.call(rendering.messages[0]).params["reply_markup"] as? NSDictionary)?["inline_keyboard"] as? [[NSDictionary]])
        let data = try #require(keyboard.first?.first?["callback_data"] as? String)
        #expect(data.hasPrefix("ref:") && data.utf8.count <= 64)
        #expect(rendering.payloads == [data: long])
        let state = ChannelState().remembering(rendering)
        var tap = InboundEvent(conversation: Self.chat, platformID: "1:cb:2", timestamp: Date(), content: .postback(title: "Kollégát kérek", payload: data, referral: nil))
        #expect(TelegramInboundStep().prepare(tap, state: state, language: .hu) == .agent({
            tap.content = .postback(title: "Kollégát kérek", payload: long, referral: nil)
            return tap
        }()))
    }

    @Test("cards go as photos with captions and their buttons; a card without a picture as text")
    func cards() throws {
        let cards = [
            Card(title: "Piros bögre", subtitle: "2 490 Ft", imageURL: "/products/mug.svg", url: "/termek/piros-bogre", sku: "MUG-1",
                 buttons: [.postback(title: "Kosárba", payload: "ADD_TO_CART:MUG-1"), .url(title: "Részletek", url: "/termek/piros-bogre")]),
            Card(title: "Kék bögre", subtitle: "2 290 Ft", sku: "MUG-2"),
        ]
        let rendering = Self.render(Reply(cards: cards))
        #expect(rendering.messages.map(\.kind) == ["card_photo", "card_text"])
        let photo = try Self.call(rendering.messages[0])
        #expect(photo.method == "sendPhoto")
        #expect(photo.params["photo"] as? String == "https://chat.example.hu/products/mug.svg")
        #expect(photo.params["caption"] as? String == "Piros bögre\n2 490 Ft\nhttps://chat.example.hu/termek/piros-bogre")
        let rows = try #require((photo.params["reply_markup"] as? NSDictionary)?["inline_keyboard"] as? [[NSDictionary]])
        #expect(rows.count == 2)
        #expect(rows[0][0]["callback_data"] as? String == "ADD_TO_CART:MUG-1")
        #expect(rows[1][0]["url"] as? String == "https://chat.example.hu/termek/piros-bogre")
        #expect(try Self.call(rendering.messages[1]).method == "sendMessage")
    }

    static func answer(_ status: HTTPResponseStatus, _ body: String) -> DeliveryOutcome {
        TelegramSender.outcome(status: status, body: body)
    }

    @Test("the Bot API's answers: a message id, 429 with retry_after, 5xx again, other 4xx for good")
    func outcomes() {
        #expect(Self.answer(.ok, #"{"ok":true,"result":{"message_id":77}}"#) == .sent(platformMessageID: "77"))
        #expect(Self.answer(.ok, #"{"ok":true,"result":true}"#) == .sent(platformMessageID: nil))
        #expect(Self.answer(.tooManyRequests, #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#)
            == .retry(reason: "HTTP 429: Too Many Requests: retry after 7", after: .seconds(7)))
        #expect(Self.answer(.badGateway, "") == .retry(reason: "HTTP 502", after: nil))
        #expect(Self.answer(.forbidden, #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#)
            == .rejected(reason: "HTTP 403: Forbidden: bot was blocked by the user"))
    }
}
