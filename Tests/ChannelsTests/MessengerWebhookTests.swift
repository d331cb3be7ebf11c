import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

@Suite("Messenger webhook parsing")
struct MessengerWebhookTests {
    let webhook = MessengerWebhook()
    let page = "106540352242922"
    let user = "7294628746593021"

    func single(_ file: String) throws -> InboundEvent {
        let batch = try webhook.parse(Fixtures.data(file))
        #expect(batch.events.count == 1)
        #expect(batch.ignored.isEmpty)
        return try #require(batch.events.first)
    }

    @Test func quickReply() throws {
        let event = try single("messenger/quick_reply.json")
        #expect(event.conversation == ConversationKey(channel: .messenger, accountID: page, userID: user))
        #expect(event.platformID == "m_QR8sT0uVw2xYz4AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefghijklmn")
        #expect(event.content == .quickReply(title: "Piros", payload: "COLOR_RED"))
        #expect(event.timestamp == Date(timeIntervalSince1970: 1_732_611_449.870))
    }

    @Test func postbackKeepsItsJSONPayloadAsAString() throws {
        let event = try single("messenger/postback_product.json")
        #expect(event.content == .postback(
            title: "Kosárba teszem", payload: #"{"action":"ADD_TO_CART","sku":"BOGRE-PIROS-300","qty":1}"#, referral: nil))
        #expect(event.content.isConversational)
    }

    @Test func echoIsAttributedToTheUserAndNotConversational() throws {
        let event = try single("messenger/echo.json")
        #expect(event.conversation.userID == user)
        #expect(event.conversation.accountID == page)
        #expect(event.content == .echo(text: "Köszönjük! A rendelésed (#1042) holnap érkezik 🚚", metadata: "gw:reply:ord-1042"))
        #expect(!event.content.isConversational)
    }

    @Test func anEchoWithoutOurMetadataIsAPersonInThePageInbox() throws {
        let body = try String(contentsOf: Fixtures.folder.appendingPathComponent("messenger/echo.json"), encoding: .utf8)
            .replacingOccurrences(of: #""metadata":"gw:reply:ord-1042""#, with: #""metadata":"set by Business Suite""#)
        let batch = try MessengerWebhook().parse(Data(body.utf8))
        let event = try #require(batch.events.first)
        #expect(event.content == .humanReply(text: "Köszönjük! A rendelésed (#1042) holnap érkezik 🚚"))
        #expect(!event.content.isConversational)
    }

    @Test func deliveryAndReadReceipts() throws {
        let delivery = try single("messenger/delivery.json")
        #expect(delivery.content == .receipt(Receipt(
            status: .delivered,
            messageIDs: ["m_ECHOaBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwX"],
            watermark: Date(timeIntervalSince1970: 1_732_611_700.812))))
        let read = try single("messenger/read.json")
        #expect(read.content == .receipt(Receipt(status: .read, watermark: Date(timeIntervalSince1970: 1_732_611_700.812))))
    }

    @Test func reaction() throws {
        let event = try single("messenger/reaction.json")
        guard case .reaction(let reaction) = event.content else {
            Issue.record("expected a reaction, got \(event.content)")
            return
        }
        #expect(reaction.emoji == "❤️")
        #expect(reaction.name == "love")
        #expect(!reaction.removed)
        #expect(reaction.messageID == "m_ECHOaBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwX")
        #expect(!event.content.isConversational)
    }

    @Test("every entry and every event of a batch, in order")
    func batch() throws {
        let body = """
            {"object":"page","entry":[
              {"id":"P1","time":1,"messaging":[
                {"sender":{"id":"U1"},"recipient":{"id":"P1"},"timestamp":1000,"message":{"mid":"m1","text":"egy"}},
                {"sender":{"id":"U2"},"recipient":{"id":"P1"},"timestamp":1001,"message":{"mid":"m2","text":"kettő"}}]},
              {"id":"P2","time":2,"messaging":[
                {"sender":{"id":"U3"},"recipient":{"id":"P2"},"timestamp":1002,"message":{"mid":"m3","text":"három"}},
                {"sender":{"id":"U3"},"recipient":{"id":"P2"},"timestamp":1003,"optin":{"ref":"x"}}]}]}
            """
        let batch = try webhook.parse(Data(body.utf8))
        #expect(batch.events.map(\.platformID) == ["m1", "m2", "m3"])
        #expect(batch.events.map(\.conversation.accountID) == ["P1", "P1", "P2"])
        #expect(batch.events.map(\.conversation.userID) == ["U1", "U2", "U3"])
        #expect(batch.ignored == ["messaging"])
    }

    @Test("attachments of every kind, stickers and locations")
    func attachments() throws {
        let body = """
            {"object":"page","entry":[{"id":"P","time":1,"messaging":[
              {"sender":{"id":"U"},"recipient":{"id":"P"},"timestamp":1,"message":{"mid":"a1","attachments":[
                {"type":"image","payload":{"url":"https://x/i.jpg"}},{"type":"video","payload":{"url":"https://x/v.mp4"}},
                {"type":"audio","payload":{"url":"https://x/a.mp3"}},{"type":"file","payload":{"url":"https://x/f.pdf"}},
                {"type":"reel","payload":{"url":"https://x/r"}},{"type":"ig_reel","payload":{"url":"https://x/ir"}},
                {"type":"fallback","title":"Link","url":"https://x/l"}]}},
              {"sender":{"id":"U"},"recipient":{"id":"P"},"timestamp":2,"message":{"mid":"a2","attachments":[
                {"type":"image","payload":{"url":"https://x/like.png","sticker_id":369239263222822}}]}},
              {"sender":{"id":"U"},"recipient":{"id":"P"},"timestamp":3,"message":{"mid":"a3","attachments":[
                {"type":"location","title":"Bolt","payload":{"coordinates":{"lat":47.5,"long":19.04}}}]}}]}]}
            """
        let events = try webhook.parse(Data(body.utf8)).events
        #expect(events.count == 3)
        guard case .attachments(let items, _) = events[0].content else {
            Issue.record("expected attachments")
            return
        }
        #expect(items.map(\.kind) == [.image, .video, .audio, .file, .reel, .igReel, .fallback])
        #expect(items.last?.url == "https://x/l")
        guard case .attachments(let sticker, _) = events[1].content else {
            Issue.record("expected a sticker")
            return
        }
        #expect(sticker.first?.kind == .sticker)
        #expect(sticker.first?.stickerID == "369239263222822")
        #expect(events[2].content == .location(Location(latitude: 47.5, longitude: 19.04, name: "Bolt")))
    }

    @Test("referral, postback without mid, reply_to")
    func otherShapes() throws {
        let body = """
            {"object":"page","entry":[{"id":"P","time":1,"messaging":[
              {"sender":{"id":"U"},"recipient":{"id":"P"},"timestamp":5,"referral":{"ref":"tavaszi-akcio","source":"SHORTLINK","type":"OPEN_THREAD"}},
              {"sender":{"id":"U"},"recipient":{"id":"P"},"timestamp":6,"postback":{"title":"Kezdés","payload":"GET_STARTED"}},
              {"sender":{"id":"U"},"recipient":{"id":"P"},"timestamp":7,"message":{"mid":"r1","text":"ezt","reply_to":{"mid":"m_ours"}}}]}]}
            """
        let events = try webhook.parse(Data(body.utf8)).events
        #expect(events[0].content == .referral(Referral(ref: "tavaszi-akcio", source: "SHORTLINK", type: "OPEN_THREAD")))
        #expect(events[1].content == .postback(title: "Kezdés", payload: "GET_STARTED", referral: nil))
        #expect(events[1].platformID == "postback:U:6")
        #expect(events[2].replyTo == "m_ours")
    }

    @Test("other objects are ignored, not errors")
    func otherObject() throws {
        let batch = try webhook.parse(Data(#"{"object":"instagram","entry":[]}"#.utf8))
        #expect(batch.events.isEmpty)
        #expect(batch.ignored == ["object:instagram"])
    }

    @Test("malformed bodies give a short reason", arguments: [
        ("not json", "body is not valid JSON"),
        (#"{"entry":[]}"#, "object is required"),
        (#"{"object":"page","entry":{}}"#, "entry: wrong type"),
        (#"{"object":"page","entry":[{"messaging":[{"recipient":{"id":"P"},"timestamp":1,"message":{"mid":"x"}}]}]}"#,
         "entry[0].messaging[0]: sender.id and recipient.id are required"),
        (#"{"object":"page","entry":[{"messaging":[{"sender":{"id":"U"},"recipient":{"id":"P"},"timestamp":1,"message":{"text":"x"}}]}]}"#,
         "entry[0].messaging[0].message: mid is required"),
    ])
    func malformed(body: String, reason: String) {
        #expect(throws: MessengerWebhook.MalformedBody(reason: reason)) {
            try webhook.parse(Data(body.utf8))
        }
    }
}
