import Channels
import Crypto
import Foundation
import Gateway
import TestSupport
import Testing

/// A platform that took a send but answered after the gateway's deadline: the gateway schedules another
/// attempt, and the platform's own report of the message, naming our key, records it as sent first, so
/// the customer gets it once. Real HTTP both ways, with each platform's signature.
@Suite("Platform reports confirm sends whose answer was lost, end to end")
struct SendConfirmationEndToEndTests {
    /// The reply's first send is taken by the platform but answered after the deadline; the next attempt
    /// would come 4 to 8 s later, time enough for the report on a busy machine.
    static func slowDelivery(_ config: inout GatewayConfig) {
        config.delivery.requestTimeout = .milliseconds(300)
        config.delivery.initialBackoff = .seconds(8)
        config.delivery.maxBackoff = .seconds(8)
    }

    /// Sends the customer's message with `inbound`, lets the first send time out, has the platform report it
    /// with `report` (the request it got, our key in it), and checks it is never sent again and shows as sent
    /// with the platform's id `reportedID`.
    static func confirm(
        channel: String, upstream: FakeUpstream, configure: @escaping (inout GatewayConfig) -> Void,
        inbound: (GatewayHarness) async throws -> Void, key: @escaping (FakeUpstream.Request) -> String?,
        reportedID: String, report: (GatewayHarness, String) async throws -> GatewayHarness.Answer
    ) async throws {
        await upstream.enqueue([.init(status: 200, body: "{}", delay: .seconds(1))])
        try await GatewayHarness.run(upstream: upstream, configure: { configure(&$0); slowDelivery(&$0) }) { gateway in
            try await inbound(gateway)
            let first = try #require(try await upstream.waitForRequests(1).first)
            let sentAt = ContinuousClock.now
            let sentKey = try #require(key(first), "the send carries our key: \(first.body)")
            // The deadline passes and the attempt is recorded as a failure to retry.
            let retried = #"chatbuddy_send_retries_total{channel="\#(channel)"} 1"#
            let deadline = ContinuousClock.now + .seconds(5)
            while try await !gateway.request(.GET, "/metrics").body.contains(retried), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await report(gateway, sentKey).status == 200)
            try await gateway.waitForMessages(channel: channel) { messages in
                messages.contains { $0["platform_message_id"] as? String == reportedID && $0["status"] as? String == "sent" }
            }
            // Past the retry's latest time: the platform got that message once.
            try await Task.sleep(until: sentAt + .seconds(9.5))
            let again = await upstream.requests.dropFirst().filter { key($0) == sentKey }
            #expect(again.isEmpty, "sent again: \(again.map(\.body))")
        }
    }

    @Test("WhatsApp: a status carrying biz_opaque_callback_data")
    func whatsapp() async throws {
        try await Self.confirm(
            channel: "whatsapp", upstream: FakeUpstream(), configure: { WhatsAppEndToEndTests.configure(&$0) },
            inbound: { gateway in
                let answer = try await WhatsAppEndToEndTests.post(gateway, WhatsAppEndToEndTests.text("wamid.IN1", "Szia"))
                #expect(answer.status == 200)
            },
            key: { $0.json["biz_opaque_callback_data"] as? String }, reportedID: "wamid.OUT1",
            report: { gateway, key in
                let body = Data(#"""
                    {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
                     "metadata":{"phone_number_id":"\#(WhatsAppEndToEndTests.number)"},"statuses":[{"id":"wamid.OUT1","status":"sent",
                     "timestamp":"\#(Int(Date().timeIntervalSince1970))","recipient_id":"\#(WhatsAppEndToEndTests.customer)",
                     "biz_opaque_callback_data":"\#(key)"}]}}]}]}
                    """#.utf8)
                return try await WhatsAppEndToEndTests.post(gateway, body)
            })
    }

    @Test("SMS: a Twilio status callback to the URL that names the row, signed over that URL")
    func sms() async throws {
        try await Self.confirm(
            channel: "sms", upstream: FakeUpstream(), configure: { SMSEndToEndTests.configure(&$0) },
            inbound: { gateway in
                let answer = try await SMSEndToEndTests.post(gateway, "/webhooks/sms", SMSEndToEndTests.sms("SM_IN1", "Szia"))
                #expect(answer.status == 200)
            },
            key: { request in
                let callback = SMSEndToEndTests.form(request)["StatusCallback"] ?? ""
                return URLComponents(string: callback)?.queryItems?.first { $0.name == "outbox" }?.value
            },
            reportedID: "SM_OUT1",
            report: { gateway, key in
                let fields = [
                    ("MessageSid", "SM_OUT1"), ("MessageStatus", "sent"), ("From", SMSEndToEndTests.ours), ("To", SMSEndToEndTests.customer),
                    ("AccountSid", SMSEndToEndTests.account),
                ]
                // Signed without the query, it is refused: the key is part of what Twilio signs.
                let withoutQuery = try await SMSEndToEndTests.post(
                    gateway, "/webhooks/sms/status?outbox=\(key)", fields,
                    signature: TwilioSignature(authToken: SMSEndToEndTests.token).signature(
                        url: SMSEndToEndTests.publicURL + "/webhooks/sms/status", parameters: fields))
                #expect(withoutQuery.status == 401)
                return try await SMSEndToEndTests.post(gateway, "/webhooks/sms/status?outbox=\(key)", fields)
            })
    }

    @Test("Email: SendGrid's signed Event Webhook with our custom_args; unsigned or forged posts are refused")
    func email() async throws {
        let signing = P256.Signing.PrivateKey()
        try await Self.confirm(
            channel: "email", upstream: FakeUpstream(),
            configure: { config in
                EmailEndToEndTests.configure(&config)
                config.email?.eventSignature = SendGridEventSignature(publicKey: signing.publicKey.derRepresentation.base64EncodedString())
            },
            inbound: { gateway in
                let mail = EmailEndToEndTests.email(
                    subject: "Szállítás", text: Array("Mennyi a szállítási díj?".utf8), headers: "Message-ID: <in1@gmail.com>\n")
                let answer = try await EmailEndToEndTests.post(gateway, mail)
                #expect(answer.status == 200)
            },
            key: { ($0.json["custom_args"] as? NSDictionary)?["chatbuddy_outbox"] as? String },
            reportedID: "sg_out1",
            report: { gateway, key in
                let body = Data(#"""
                    [{"email":"kovacs.eva@gmail.com","timestamp":\#(Int(Date().timeIntervalSince1970)),"event":"processed","sg_event_id":"ev1",
                      "sg_message_id":"sg_out1.filter0001.16648.5515E0B88.0","chatbuddy_outbox":"\#(key)"}]
                    """#.utf8)
                let timestamp = String(Int(Date().timeIntervalSince1970))
                func post(signature: String?) async throws -> GatewayHarness.Answer {
                    var headers = [("Content-Type", "application/json"), (SendGridEventSignature.timestampHeader, timestamp)]
                    if let signature { headers.append((SendGridEventSignature.signatureHeader, signature)) }
                    return try await gateway.request(.POST, "/webhooks/email/events", headers: headers, body: body)
                }
                let forged = try P256.Signing.PrivateKey().signature(for: Data(timestamp.utf8) + body).derRepresentation.base64EncodedString()
                let unsigned = try await post(signature: nil)
                let forgery = try await post(signature: forged)
                #expect(unsigned.status == 401 && forgery.status == 401)
                return try await post(signature: try signing.signature(for: Data(timestamp.utf8) + body).derRepresentation.base64EncodedString())
            })
    }

    @Test("without the Event Webhook's key, /webhooks/email/events is not served")
    func eventsOff() async throws {
        try await GatewayHarness.run(configure: { EmailEndToEndTests.configure(&$0) }) { gateway in
            let answer = try await gateway.request(.POST, "/webhooks/email/events", body: Data("[]".utf8))
            #expect(answer.status == 404)
        }
    }
}
