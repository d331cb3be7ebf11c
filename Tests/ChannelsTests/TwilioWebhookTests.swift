import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

@Suite("Twilio webhook parsing")
struct TwilioWebhookTests {
    func form(_ name: String) throws -> [(String, String)] {
        FormEncoding.decode(String(decoding: try Fixtures.data("twilio/\(name).form"), as: UTF8.self))
    }

    @Test("an inbound SMS: sid, numbers and decoded body; MMS media with their types and the text as caption")
    func inbound() throws {
        let event = try TwilioWebhook().message(try form("sms_inbound_basic"))
        #expect(event.platformID == "SM5ab7891328b440f04b7c83b459fc85fd")
        #expect(event.conversation == ConversationKey(channel: .sms, accountID: "+3617000123", userID: "+36301234567"))
        #expect(event.content == .text("Hi, is order #1042 shipped yet?"))
        let mms = try TwilioWebhook().message([
            ("MessageSid", "MM1"), ("From", "+36301234567"), ("To", "+3617000123"), ("Body", "Ilyen jött"), ("NumMedia", "2"),
            ("MediaUrl0", "https://api.twilio.com/m/0"), ("MediaContentType0", "image/jpeg"),
            ("MediaUrl1", "https://api.twilio.com/m/1"), ("MediaContentType1", "application/pdf"),
        ])
        #expect(mms.content == .attachments(
            [Attachment(kind: .image, url: "https://api.twilio.com/m/0", mimeType: "image/jpeg"),
             Attachment(kind: .file, url: "https://api.twilio.com/m/1", mimeType: "application/pdf")],
            caption: "Ilyen jött"))
        #expect(throws: MalformedWebhookBody(reason: "MessageSid is required")) { try TwilioWebhook().message([("From", "+361")]) }
    }

    @Test("status callbacks become receipts of our message; 21610 marks the recipient opted out; queued is not tracked")
    func statuses() throws {
        let delivered = try #require(try TwilioWebhook().status(try form("status_delivered")))
        #expect(delivered.content == .receipt(Receipt(status: .delivered, messageIDs: ["SM0b6e2697aae04182a9f5b5c7a8994c7f"])))
        #expect(delivered.conversation.userID == "+36301234567")
        let stopped = try #require(try TwilioWebhook().status(try form("status_failed_21610")))
        #expect(stopped.content == .receipt(Receipt(
            status: .failed, messageIDs: ["SM0b6e2697aae04182a9f5b5c7a8994c7f"], error: "21610: recipient has opted out", recipientOptedOut: true)))
        let unreachable = try #require(try TwilioWebhook().status(try form("status_undelivered_30003")))
        #expect(unreachable.content == .receipt(Receipt(status: .failed, messageIDs: ["SM0b6e2697aae04182a9f5b5c7a8994c7f"], error: "30003: unreachable handset")))
        #expect(try TwilioWebhook().status([("MessageSid", "SM1"), ("MessageStatus", "queued")]) == nil)
    }
}
