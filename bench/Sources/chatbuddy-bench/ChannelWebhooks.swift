import Channels
import Foundation

/// A channel's webhooks as its platform signs them, the gateway's settings for it, and which of the fake
/// platform API's requests are replies to customers.
enum ChannelWebhooks: String, CaseIterable, Sendable {
    case messenger, whatsapp, telegram, sms, email

    static let question = "Szia! Van raktáron piros bögre?"
    static let secret = "bench-secret_42"
    static let whatsappNumber = "106540352242923"
    static let twilioAccount = "ACbench0000000000000000000000000000"
    static let publicBaseURL = "https://bench.example.com"

    /// The gateway's environment for this channel, its platform API played by the peer at `peer`.
    func environment(peer: String) -> [String: String] {
        switch self {
        case .messenger:
            ["MESSENGER_VERIFY_TOKEN": "bench", "MESSENGER_APP_SECRET": WebhookBodies.appSecret,
             "MESSENGER_PAGE_ACCESS_TOKEN": "bench-token", "META_GRAPH_BASE_URL": peer]
        case .whatsapp:
            // Meta lifts a number's 80 messages a second to 1,000 for busy businesses.
            ["WHATSAPP_VERIFY_TOKEN": "bench", "WHATSAPP_APP_SECRET": WebhookBodies.appSecret, "WHATSAPP_ACCESS_TOKEN": "bench-token",
             "WHATSAPP_PHONE_NUMBER_ID": Self.whatsappNumber, "WHATSAPP_MESSAGES_PER_SECOND": "1000", "META_GRAPH_BASE_URL": peer]
        case .telegram:
            // Telegram's 30 messages a second per bot would make the drain the platform's figure, not ours.
            ["TELEGRAM_BOT_TOKEN": "123456:bench", "TELEGRAM_WEBHOOK_SECRET": Self.secret, "TELEGRAM_API_BASE_URL": peer,
             "TELEGRAM_MESSAGES_PER_SECOND": "1000"]
        case .sms:
            ["TWILIO_ACCOUNT_SID": Self.twilioAccount, "TWILIO_AUTH_TOKEN": Self.secret, "TWILIO_FROM_NUMBER": "+3617000123",
             "TWILIO_API_BASE_URL": peer, "PUBLIC_BASE_URL": Self.publicBaseURL]
        case .email:
            ["SENDGRID_API_KEY": "SG.bench", "EMAIL_FROM_ADDRESS": "support@example.hu", "EMAIL_INBOUND_TOKEN": Self.secret,
             "SENDGRID_API_BASE_URL": peer]
        }
    }

    /// Whether the peer's request at `path` with `body` is a reply to a customer (not a read receipt or a
    /// typing indicator).
    static func isReply(path: String, body: String) -> Bool {
        if path.hasSuffix("/messages") { return !body.contains(#""status":"read""#) && !body.contains("sender_action") }
        if path.contains("/bot") { return path.contains("/send") && !path.hasSuffix("/sendChatAction") }
        return path.hasSuffix("/Messages.json") || path.hasSuffix("/v3/mail/send")
    }

    /// `count` webhooks, each a new message from one of `customers` senders in turn, signed.
    func requests(count: Int, customers: Int) -> [WebhookRequest] {
        let run = UUID().uuidString.prefix(8)
        // Current timestamps: the gateway does not answer messages older than the 24-hour window.
        let now = Date().timeIntervalSince1970
        return (0..<count).map { index in
            let customer = index % customers
            // Platforms that stamp whole seconds: a second apart, the latest now (within the 24-hour window).
            let second = Int(now) - count + index
            let id = "bench_\(run)_\(index)"
            switch self {
            case .messenger:
                let body = Array(#"""
                    {"object":"page","entry":[{"id":"106540352242922","time":1732611450001,"messaging":[{"sender":{"id":"\#(1_000_000 + customer)"},"recipient":{"id":"106540352242922"},"timestamp":\#(Int(now * 1000) + index),"message":{"mid":"m_\#(id)","text":"\#(Self.question)"}}]}]}
                    """#.utf8)
                return Self.meta("/webhooks/messenger", body)
            case .whatsapp:
                let body = Array(#"""
                    {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"36301234567","phone_number_id":"\#(Self.whatsappNumber)"},"contacts":[{"profile":{"name":"Vevő \#(customer)"},"wa_id":"\#(36_200_000_000 + customer)"}],"messages":[{"from":"\#(36_200_000_000 + customer)","id":"wamid.\#(id)","timestamp":"\#(second)","type":"text","text":{"body":"\#(Self.question)"}}]}}]}]}
                    """#.utf8)
                return Self.meta("/webhooks/whatsapp", body)
            case .telegram:
                let body = Array(#"""
                    {"update_id":\#(index + 1),"message":{"message_id":\#(index + 1),"from":{"id":\#(500_000 + customer),"is_bot":false,"first_name":"Éva","language_code":"hu"},"chat":{"id":\#(500_000 + customer),"first_name":"Éva","type":"private"},"date":\#(second),"text":"\#(Self.question)"}}
                    """#.utf8)
                return WebhookRequest(
                    path: "/webhooks/telegram", headers: [("Content-Type", "application/json"), ("X-Telegram-Bot-Api-Secret-Token", Self.secret)],
                    body: body)
            case .sms:
                let sid = "SM\(id)"
                let from = "+3630\(String(format: "%07d", customer))"
                let fields = [
                    ("SmsMessageSid", sid), ("NumMedia", "0"), ("SmsSid", sid), ("SmsStatus", "received"), ("Body", Self.question),
                    ("To", "+3617000123"), ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", Self.twilioAccount), ("From", from),
                    ("ApiVersion", "2010-04-01"),
                ]
                let signature = TwilioSignature(authToken: Self.secret).signature(url: Self.publicBaseURL + "/webhooks/sms", parameters: fields)
                return WebhookRequest(
                    path: "/webhooks/sms", headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", signature)],
                    body: Array(FormEncoding.encode(fields).utf8))
            case .email:
                let address = "vevo\(customer)@example.com"
                let body = ChannelsBench.field("headers", Array("Message-ID: <\(id)@example.com>\nSubject: Bögre\n".utf8))
                    + ChannelsBench.field("from", Array("Vevő \(customer) <\(address)>".utf8))
                    + ChannelsBench.field("to", Array("support@inbound.example.hu".utf8)) + ChannelsBench.field("subject", Array("Bögre".utf8))
                    + ChannelsBench.field("text", Array(Self.question.utf8))
                    + ChannelsBench.field("envelope", Array(#"{"to":["support@inbound.example.hu"],"from":"\#(address)"}"#.utf8))
                    + ChannelsBench.field("charsets", Array(#"{"to":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"UTF-8"}"#.utf8))
                    + Array("--xYzZY--\r\n".utf8)
                return WebhookRequest(
                    path: "/webhooks/email?token=\(Self.secret)", headers: [("Content-Type", "multipart/form-data; boundary=xYzZY")], body: body)
            }
        }
    }

    private static func meta(_ path: String, _ body: [UInt8]) -> WebhookRequest {
        WebhookRequest(
            path: path,
            headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", MetaSignature(appSecret: WebhookBodies.appSecret).header(for: body))],
            body: body)
    }
}
