import ChatModel
import Foundation
import Testing

@Suite("Channel-neutral model")
struct ReplyCodingTests {
    func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test("absent parts of a reply are omitted")
    func omitsAbsentParts() throws {
        #expect(try encode(Reply(text: "Szia")) == #"{"text":"Szia"}"#)
    }

    @Test("a reply encodes to docs/architecture.md §4 shape and back")
    func designShape() throws {
        let reply = Reply(
            text: "Ezeket ajánlom:",
            quickReplies: [QuickReply(title: "Több", payload: "MORE")],
            cards: [Card(
                title: "Bögre", subtitle: "2 990 Ft", imageURL: "https://x/b.jpg", url: "https://x/b", sku: "BOGRE-1",
                buttons: [.postback(title: "Kosárba", payload: "ADD"), .url(title: "Részletek", url: "https://x/b")])],
            template: TemplateReference(name: "order_update", language: "hu", parameters: ["1042"]))
        let json = try encode(reply)
        #expect(json == """
            {"cards":[{"buttons":[{"payload":"ADD","title":"Kosárba","type":"postback"},{"title":"Részletek","type":"url","url":"https://x/b"}],\
            "image_url":"https://x/b.jpg","sku":"BOGRE-1","subtitle":"2 990 Ft","title":"Bögre","url":"https://x/b"}],\
            "quick_replies":[{"payload":"MORE","title":"Több"}],\
            "template":{"language":"hu","name":"order_update","parameters":["1042"]},"text":"Ezeket ajánlom:"}
            """)
        #expect(try JSONDecoder().decode(Reply.self, from: Data(json.utf8)) == reply)
    }

    @Test("unknown button types are refused when decoding")
    func unknownButton() {
        let json = #"{"title":"x","buttons":[{"type":"call","title":"Hívás"}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Card.self, from: Data(json.utf8)) }
    }

    @Test("inbound events survive a round trip through JSON")
    func eventRoundTrip() throws {
        let event = InboundEvent(
            conversation: ConversationKey(channel: .messenger, accountID: "P", userID: "U"),
            platformID: "m1", timestamp: Date(timeIntervalSince1970: 1_732_611_449.870),
            content: .postback(title: "Kosárba", payload: "{\"sku\":\"A\"}", referral: Referral(ref: "ad")),
            replyTo: "m0")
        let decoder = JSONDecoder()
        let data = try JSONEncoder().encode(event)
        #expect(try decoder.decode(InboundEvent.self, from: data) == event)
    }

    @Test("delivery statuses only move forward")
    func statusOrder() {
        #expect(DeliveryStatus.pending.rank < DeliveryStatus.sent.rank)
        #expect(DeliveryStatus.sent.rank < DeliveryStatus.delivered.rank)
        #expect(DeliveryStatus.delivered.rank < DeliveryStatus.read.rank)
    }

    @Test("which events the agents see")
    func conversational() {
        #expect(InboundContent.text("szia").isConversational)
        #expect(InboundContent.quickReply(title: "A", payload: "A").isConversational)
        #expect(!InboundContent.echo(text: "x", metadata: nil).isConversational)
        #expect(!InboundContent.receipt(Receipt(status: .read)).isConversational)
        #expect(!InboundContent.reaction(Reaction(emoji: "👍", removed: false, messageID: "m")).isConversational)
    }
}
