import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

@Suite("WhatsApp webhook parsing")
struct WhatsAppWebhookTests {
    static let number = "113298471935602"
    static let customer = "36209876543"
    static let ours = "wamid.HBgLMzYyMDk4NzY1NDMVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA"

    func parse(_ fixture: String) throws -> WhatsAppWebhook.Batch {
        try WhatsAppWebhook().parse(try Fixtures.data("whatsapp/\(fixture).json"))
    }

    func only(_ fixture: String) throws -> InboundEvent {
        let batch = try parse(fixture)
        #expect(batch.events.count == 1)
        #expect(batch.ignored.isEmpty)
        let event = try #require(batch.events.first)
        #expect(event.conversation == ConversationKey(channel: .whatsapp, accountID: Self.number, userID: Self.customer))
        #expect(event.senderName == "Kovács Éva")
        return event
    }

    @Test("a message a person sent from the WhatsApp Business app (smb_message_echoes) is their reply to the customer in `to`")
    func businessAppEcho() throws {
        let batch = try parse("smb_message_echo")
        #expect(batch.ignored.isEmpty)
        let event = try #require(batch.events.first)
        #expect(batch.events.count == 1)
        #expect(event.conversation == ConversationKey(channel: .whatsapp, accountID: Self.number, userID: Self.customer))
        #expect(event.content == .humanReply(text: "Szia, Péter vagyok a boltból, segítek."))
        #expect(event.timestamp == Date(timeIntervalSince1970: 1_732_612_800))
        let missing = #"{"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"smb_message_echoes","value":{"metadata":{"phone_number_id":"1"},"message_echoes":[{"id":"x","timestamp":"1","type":"text"}]}}]}]}"#
        #expect(throws: MalformedWebhookBody.self) { try WhatsAppWebhook().parse(Data(missing.utf8)) }
    }

    @Test("text replying to one of our messages keeps the context; timestamps are strings of seconds")
    func textWithContext() throws {
        let event = try only("reply_with_context")
        #expect(event.content == .text("Igen, ez jó lesz így."))
        #expect(event.replyTo == Self.ours)
        #expect(event.timestamp == Date(timeIntervalSince1970: 1_732_611_500))
        #expect(event.platformID.hasPrefix("wamid."))
    }

    @Test("button and list replies carry their id as the payload")
    func interactive() throws {
        #expect(try only("interactive_button_reply").content == .quickReply(title: "Megerősítem", payload: "ORDER_CONFIRM:1042"))
        #expect(try only("interactive_list_reply").content == .quickReply(title: "Kávés bögre piros", payload: "SKU:BOGRE-PIROS-300"))
    }

    @Test("media keep the id to fetch them by, the mime type, the caption and a document's file name")
    func media() throws {
        #expect(try only("image_with_caption").content == .attachments(
            [Attachment(kind: .image, mimeType: "image/jpeg", mediaID: "1234567890123456")], caption: "Ilyen sérülten érkezett 😞"))
        #expect(try only("video").content == .attachments(
            [Attachment(kind: .video, mimeType: "video/mp4", mediaID: "4567890123456789")], caption: "kicsomagolás"))
        #expect(try only("document").content == .attachments(
            [Attachment(kind: .file, title: "szamla_2024-0042.pdf", mimeType: "application/pdf", mediaID: "2345678901234567")],
            caption: "számla"))
    }

    @Test("locations and reactions")
    func locationAndReaction() throws {
        #expect(try only("location").content == .location(
            Location(latitude: 47.4979, longitude: 19.0402, name: "Budapest, Deák Ferenc tér", address: "Budapest, Deák Ferenc tér, 1052")))
        #expect(try only("reaction").content == .reaction(Reaction(emoji: "👍", removed: false, messageID: Self.ours)))
    }

    @Test("every status of a status-only batch, each its own event, deduplicated by message and status")
    func statuses() throws {
        let batch = try parse("status_only_batch")
        #expect(batch.events.map(\.platformID) == ["sent", "delivered", "read"].map { "status:\(Self.ours):\($0)" })
        #expect(batch.events.map(\.content) == [DeliveryStatus.sent, .delivered, .read].map { .receipt(Receipt(status: $0, messageIDs: [Self.ours])) })
        #expect(batch.events.allSatisfy { $0.conversation.userID == Self.customer && $0.conversation.accountID == Self.number })
    }

    func body(_ value: String, field: String = "messages") -> Data {
        Data(#"{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"\#(field)","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"N1"},\#(value)}}]}]}"#.utf8)
    }

    @Test("template buttons, voice, stickers, contacts, removed reactions, failures and unknown types")
    func otherKinds() throws {
        let messages = #"""
            "contacts":[{"profile":{"name":"Éva"},"wa_id":"361"}],
            "messages":[
              {"from":"361","id":"w1","timestamp":"10","type":"button","button":{"payload":"RENDELES_OK","text":"Rendben"}},
              {"from":"361","id":"w2","timestamp":"11","type":"audio","audio":{"id":"a1","mime_type":"audio/ogg","voice":true}},
              {"from":"361","id":"w3","timestamp":"12","type":"sticker","sticker":{"id":"s1","mime_type":"image/webp"}},
              {"from":"361","id":"w4","timestamp":"13","type":"contacts","contacts":[{"name":{"formatted_name":"Kis János"},"phones":[{"phone":"+36 30 111 2222"}]}]},
              {"from":"361","id":"w5","timestamp":"14","type":"reaction","reaction":{"message_id":"wamid.X","emoji":""}},
              {"from":"361","id":"w6","timestamp":"15","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}]}
            ],
            "statuses":[{"id":"wamid.Y","status":"failed","timestamp":"16","recipient_id":"361","errors":[{"code":131026,"title":"Message undeliverable"}]},
                        {"id":"wamid.Z","status":"played","timestamp":"17","recipient_id":"361"}]
            """#
        let batch = try WhatsAppWebhook().parse(body(messages))
        #expect(batch.events.map(\.content) == [
            .quickReply(title: "Rendben", payload: "RENDELES_OK"),
            .attachments([Attachment(kind: .audio, mimeType: "audio/ogg", mediaID: "a1", voice: true)], caption: nil),
            .attachments([Attachment(kind: .sticker, mimeType: "image/webp", mediaID: "s1")], caption: nil),
            .attachments([Attachment(kind: .contact, title: "Kis János, +36 30 111 2222")], caption: nil),
            .reaction(Reaction(emoji: "", removed: true, messageID: "wamid.X")),
            .attachments([Attachment(kind: .unknown, title: "unsupported")], caption: nil),
            .receipt(Receipt(status: .failed, messageIDs: ["wamid.Y"], error: "131026: Message undeliverable")),
        ])
        #expect(batch.events[0].senderName == "Éva")
        #expect(batch.ignored == ["status:played"])
    }

    @Test("a cart sent from the catalog goes to an operator with its items in words")
    func order() throws {
        let message = #"""
            "messages":[{"from":"361","id":"w7","timestamp":"18","type":"order","order":{"catalog_id":"C1","text":"Holnapra kérném",
              "product_items":[{"product_retailer_id":"BOGRE-PIROS-300","quantity":2,"item_price":2990,"currency":"HUF"},
                               {"product_retailer_id":"POLO-PAMUT-KEK","quantity":1,"item_price":4990.5,"currency":"HUF"}]}}]
            """#
        let event = try #require(try WhatsAppWebhook().parse(body(message)).events.first)
        #expect(event.content == .quickReply(
            title: "🛒 2 × BOGRE-PIROS-300 (2990 HUF), 1 × POLO-PAMUT-KEK (4990.5 HUF)\nHolnapra kérném", payload: "HANDOFF:whatsapp_order"))
    }

    @Test("other objects and fields are ignored; a body that is not a notification is refused with a reason")
    func refusals() throws {
        #expect(try WhatsAppWebhook().parse(Data(#"{"object":"page","entry":[]}"#.utf8)).ignored == ["object:page"])
        #expect(try WhatsAppWebhook().parse(body(#""messages":[]"#, field: "account_update")).ignored == ["field:account_update"])
        let cases: [(String, String)] = [
            ("[1,2]", "body: wrong type"),
            ("nonsense", "body is not valid JSON"),
            (#"{"entry":[]}"#, "object is required"),
        ]
        for (text, reason) in cases {
            #expect(throws: WhatsAppWebhook.MalformedBody(reason: reason)) { try WhatsAppWebhook().parse(Data(text.utf8)) }
        }
        #expect(throws: WhatsAppWebhook.MalformedBody.self) {
            try WhatsAppWebhook().parse(body(#""messages":[{"from":"1","id":"w","timestamp":"soon","type":"text","text":{"body":"x"}}]"#))
        }
    }
}
