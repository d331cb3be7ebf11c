import AsyncHTTPClient
import Channels
import ChatModel
import Crypto
import Foundation
import TestSupport
import Testing

/// Each platform's send carries our idempotency key where the platform's own report of the message hands
/// it back (docs/channels.md §7), and each report is read back into a receipt naming that key.
@Suite("Confirmations of our sends")
struct SendConfirmationTests {
    static let client = HTTPClient(eventLoopGroupProvider: .singleton)

    /// What `send` put on the wire, through a real HTTP server standing in for the platform.
    static func wire(_ send: @Sendable (String) async -> DeliveryOutcome) async throws -> FakeUpstream.Request {
        let upstream = FakeUpstream()
        return try await upstream.serve { base in
            let outcome = await send(base)
            guard case .sent = outcome else {
                Issue.record("the platform took the send, but it was read as \(outcome)")
                return try #require(await upstream.requests.first)
            }
            return try #require(await upstream.requests.first)
        }
    }

    @Test("Messenger: the key rides in our metadata; its echo is a confirmation, an echo of older sends is not")
    func messenger() async throws {
        let payload = #"{"recipient":{"id":"U1"},"messaging_type":"RESPONSE","message":{"text":"\"metadata\":\"gw:chatbuddy\"","metadata":"gw:chatbuddy"}}"#
        let request = try await Self.wire { base in
            await MessengerSender(client: Self.client, graphBaseURL: base, pageAccessToken: "t", timeout: .seconds(30))
                .send(payload: payload, account: "P", recipient: "U1", idempotencyKey: "messenger:41:0")
        }
        let message = try #require(request.json["message"] as? NSDictionary)
        #expect(message["metadata"] as? String == "gw:chatbuddy:messenger:41:0")
        // The customer's words that look like the member are left alone.
        #expect(message["text"] as? String == #""metadata":"gw:chatbuddy""#)
        let sender = MessengerSender(client: Self.client, graphBaseURL: "http://127.0.0.1:9", pageAccessToken: "t", timeout: .seconds(1))
        #expect(sender.confirmsSend(of: payload))
        #expect(!sender.confirmsSend(of: #"{"recipient":{"id":"U1"},"sender_action":"typing_on"}"#))

        func echo(_ metadata: String) throws -> InboundContent? {
            let body = #"{"object":"page","entry":[{"id":"P","time":1,"messaging":[{"sender":{"id":"P"},"recipient":{"id":"U1"},"timestamp":1732611449870,"message":{"mid":"m_1","is_echo":true,"app_id":7,"text":"Szia","metadata":"\#(metadata)"}}]}]}"#
            return try MessengerWebhook().parse(Data(body.utf8)).events.first?.content
        }
        #expect(try echo("gw:chatbuddy:messenger:41:0") == .receipt(Receipt(status: .sent, messageIDs: ["m_1"], outboxKey: "messenger:41:0")))
        #expect(try echo("gw:chatbuddy") == .echo(text: "Szia", metadata: "gw:chatbuddy"))
    }

    @Test("WhatsApp: the key is the message's biz_opaque_callback_data and comes back on each status; read receipts carry none")
    func whatsapp() async throws {
        let payload = #"{"messaging_product":"whatsapp","recipient_type":"individual","to":"36209876543","type":"text","text":{"body":"Szia"}}"#
        let request = try await Self.wire { base in
            await WhatsAppSender(client: Self.client, graphBaseURL: base, accessToken: "t", timeout: .seconds(30))
                .send(payload: payload, account: "113298471935602", recipient: "36209876543", idempotencyKey: "whatsapp:7:1")
        }
        #expect(request.json["biz_opaque_callback_data"] as? String == "whatsapp:7:1")
        #expect((request.json["text"] as? NSDictionary)?["body"] as? String == "Szia")
        let sender = WhatsAppSender(client: Self.client, graphBaseURL: "http://127.0.0.1:9", accessToken: "t", timeout: .seconds(1))
        #expect(sender.confirmsSend(of: payload))
        #expect(!sender.confirmsSend(of: #"{"messaging_product":"whatsapp","status":"read","message_id":"wamid.X"}"#))

        let body = #"""
            {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
             "metadata":{"phone_number_id":"113298471935602"},"statuses":[
              {"id":"wamid.A","status":"sent","timestamp":"1732612700","recipient_id":"36209876543","biz_opaque_callback_data":"whatsapp:7:1"},
              {"id":"wamid.B","status":"delivered","timestamp":"1732612700","recipient_id":"36209876543"}]}}]}]}
            """#
        let events = try WhatsAppWebhook().parse(Data(body.utf8)).events
        #expect(events.map(\.content) == [
            .receipt(Receipt(status: .sent, messageIDs: ["wamid.A"], outboxKey: "whatsapp:7:1")),
            .receipt(Receipt(status: .delivered, messageIDs: ["wamid.B"])),
        ])
    }

    @Test("Twilio: the key is in the StatusCallback URL; a callback to it confirms, even for a status not otherwise tracked")
    func twilio() async throws {
        let payload = FormEncoding.encode([
            ("To", "+36301234567"), ("From", "+3617000123"), ("Body", "Szia & viszlát"),
            ("StatusCallback", "https://gateway.example.com/webhooks/sms/status"),
        ])
        let request = try await Self.wire { base in
            await TwilioSender(client: Self.client, apiBaseURL: base, accountSID: "AC1", authToken: "t", timeout: .seconds(30))
                .send(payload: payload, account: "+3617000123", recipient: "+36301234567", idempotencyKey: "sms:12:0")
        }
        let fields = Dictionary(FormEncoding.decode(request.body), uniquingKeysWith: { a, _ in a })
        #expect(fields["StatusCallback"] == "https://gateway.example.com/webhooks/sms/status?outbox=sms:12:0")
        #expect(fields["Body"] == "Szia & viszlát")
        let sender = TwilioSender(client: Self.client, apiBaseURL: "http://127.0.0.1:9", accountSID: "AC1", authToken: "t", timeout: .seconds(1))
        #expect(!sender.confirmsSend(of: FormEncoding.encode([("To", "+36301234567"), ("Body", "x")])))

        let callback = [("MessageSid", "SM1"), ("MessageStatus", "sending"), ("From", "+3617000123"), ("To", "+36301234567")]
        #expect(try TwilioWebhook().status(callback) == nil)
        let confirmed = try TwilioWebhook().status(callback, outboxKey: "sms:12:0")
        #expect(confirmed?.content == .receipt(Receipt(status: .sent, messageIDs: ["SM1"], outboxKey: "sms:12:0")))
    }

    static let mail = #"{"personalizations":[{"to":[{"email":"vevo@example.hu"}]}],"from":{"email":"support@example.hu"},"subject":"Re: Rendelés","content":[{"type":"text/plain","value":"Szia"}],"headers":{}}"#

    @Test("SendGrid: the key is in custom_args; the Event Webhook's events become receipts naming it")
    func sendgrid() async throws {
        let request = try await Self.wire { base in
            await SendGridSender(client: Self.client, apiBaseURL: base, apiKey: "SG.k", timeout: .seconds(30), eventsReported: true)
                .send(payload: Self.mail, account: "", recipient: "vevo@example.hu", idempotencyKey: "email:3:0")
        }
        #expect((request.json["custom_args"] as? NSDictionary) == ["chatbuddy_outbox": "email:3:0"])
        #expect(request.json["subject"] as? String == "Re: Rendelés")
        let off = SendGridSender(client: Self.client, apiBaseURL: "http://127.0.0.1:9", apiKey: "SG.k", timeout: .seconds(1))
        #expect(!off.confirmsSend(of: Self.mail), "without the Event Webhook nothing reports the mail")

        let events = #"""
            [{"email":"vevo@example.hu","timestamp":1732612700,"event":"processed","sg_event_id":"e1","sg_message_id":"14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0","chatbuddy_outbox":"email:3:0"},
             {"email":"vevo@example.hu","timestamp":1732612701,"event":"bounce","sg_event_id":"e2","sg_message_id":"14c5d75ce93.dfd","reason":"550 no such user"},
             {"email":"vevo@example.hu","timestamp":1732612702,"event":"group_unsubscribe","sg_event_id":"e3"}]
            """#
        let batch = try SendGridEvents().receipts(Array(events.utf8))
        #expect(batch.events.map(\.content) == [
            .receipt(Receipt(status: .sent, messageIDs: ["14c5d75ce93"], outboxKey: "email:3:0")),
            .receipt(Receipt(status: .failed, messageIDs: ["14c5d75ce93"], error: "550 no such user")),
        ])
        #expect(batch.ignored == ["group_unsubscribe"])
        #expect(throws: MalformedWebhookBody.self) { try SendGridEvents().receipts(Array(#"{"event":"processed"}"#.utf8)) }
    }

    @Test("SendGrid's signed Event Webhook: ECDSA P-256 over the timestamp and the body, with the key as SendGrid shows it")
    func sendgridSignature() throws {
        let privateKey = P256.Signing.PrivateKey()
        let shown = privateKey.publicKey.derRepresentation.base64EncodedString()
        let body = Array(#"[{"event":"processed"}]"#.utf8)
        let timestamp = "1732612700"
        let signature = try privateKey.signature(for: Data(timestamp.utf8) + body).derRepresentation.base64EncodedString()

        let check = try #require(SendGridEventSignature(publicKey: shown))
        #expect(check.isValid(signature: signature, timestamp: timestamp, body: body))
        let pem = "-----BEGIN PUBLIC KEY-----\n" + shown + "\n-----END PUBLIC KEY-----\n"
        #expect(SendGridEventSignature(publicKey: pem)?.isValid(signature: signature, timestamp: timestamp, body: body) == true)
        #expect(!check.isValid(signature: signature, timestamp: "1732612701", body: body))
        #expect(!check.isValid(signature: signature, timestamp: timestamp, body: body + [0x20]))
        #expect(!check.isValid(signature: "bm90IGEgc2lnbmF0dXJl", timestamp: timestamp, body: body))
        #expect(!check.isValid(signature: nil, timestamp: timestamp, body: body))
        let other = P256.Signing.PrivateKey().publicKey.derRepresentation.base64EncodedString()
        #expect(SendGridEventSignature(publicKey: other)?.isValid(signature: signature, timestamp: timestamp, body: body) == false)
        #expect(SendGridEventSignature(publicKey: "not a key") == nil)
    }
}
