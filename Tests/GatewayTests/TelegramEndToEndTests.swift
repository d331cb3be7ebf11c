import Channels
import ChatModel
import Foundation
import Gateway
import TestSupport
import Testing

@Suite("Telegram through the Bot API, end to end")
struct TelegramEndToEndTests {
    static let token = "123456789:TEST-token_x"
    static let secret = "tg-secret_42"

    /// A gateway with Telegram on the fake upstream (the harness's Graph API fake plays the Bot API).
    static func run(upstream: FakeUpstream = FakeUpstream(), _ body: (GatewayHarness) async throws -> Void) async throws {
        try await GatewayHarness.run(upstream: upstream, configure: { config in
            var telegram = TelegramModule(botToken: token, webhookSecret: secret)
            telegram.apiBaseURL = config.messenger!.graphBaseURL
            telegram.publicBaseURL = "https://chat.example.hu"
            config.channels[.telegram] = telegram
        }, body)
    }

    static func post(_ gateway: GatewayHarness, _ body: String, secret: String? = Self.secret) async throws -> GatewayHarness.Answer {
        var headers = [("Content-Type", "application/json")]
        if let secret { headers.append(("X-Telegram-Bot-Api-Secret-Token", secret)) }
        return try await gateway.request(.POST, "/webhooks/telegram", headers: headers, body: Data(body.utf8))
    }

    static func update(_ id: Int, _ text: String) -> String {
        #"{"update_id":\#(id),"message":{"message_id":\#(id),"date":1764676800,"chat":{"id":7001002003,"type":"private"},"from":{"id":7001002003,"first_name":"Éva"},"text":"\#(text)"}}"#
    }

    static func tap(_ id: Int, data: String) -> String {
        #"{"update_id":\#(id),"callback_query":{"id":"cbq-\#(id)","from":{"id":7001002003,"first_name":"Éva"},"data":"\#(data)","message":{"message_id":9,"date":1764676800,"chat":{"id":7001002003,"type":"private"}}}}"#
    }

    static func calls(_ requests: [FakeUpstream.Request], _ method: String) -> [FakeUpstream.Request] {
        requests.filter { $0.path == "/bot\(token)/\(method)" }
    }

    @Test("the secret header is checked; an update is answered with sendMessage once, however often it is retried")
    func messageIn() async throws {
        try await Self.run { gateway in
            let missing = try await Self.post(gateway, Self.update(1, "Szia!"), secret: nil)
            #expect(missing.status == 401 && missing.errorCode == "missing_signature")
            let wrong = try await Self.post(gateway, Self.update(1, "Szia!"), secret: "tg-secret_43")
            #expect(wrong.status == 401 && wrong.errorCode == "invalid_signature")
            let malformed = try await Self.post(gateway, #"{"message":{}}"#)
            #expect(malformed.status == 400 && malformed.errorCode == "malformed_body")

            let accepted = try await Self.post(gateway, Self.update(1, "Szia!"))
            #expect(accepted.status == 200)
            let requests = try await gateway.upstream.waitForRequests(1)
            let send = try #require(Self.calls(requests, "sendMessage").first)
            #expect(send.json["chat_id"] as? String == "7001002003")
            #expect((send.json["text"] as? String)?.hasPrefix("Szia!") == true)
            #expect(send.header("Authorization") == nil, "the token goes in the path only")
            // Telegram retries an update it thinks was lost: it is stored once and answered once.
            #expect(try await Self.post(gateway, Self.update(1, "Szia!")).status == 200)
            try await Task.sleep(for: .milliseconds(500))
            #expect(Self.calls(await gateway.upstream.requests, "sendMessage").count == Self.calls(requests, "sendMessage").count)
        }
    }

    @Test("a button tap is answered with answerCallbackQuery before the reply")
    func buttonTap() async throws {
        try await Self.run { gateway in
            #expect(try await Self.post(gateway, Self.tap(2, data: "MENU_ORDER")).status == 200)
            let requests = try await gateway.upstream.waitForRequests(2)
            #expect(requests[0].path == "/bot\(Self.token)/answerCallbackQuery")
            #expect(requests[0].json["callback_query_id"] as? String == "cbq-2")
            #expect(requests[1].path == "/bot\(Self.token)/sendMessage")
        }
    }

    @Test("429 with retry_after: the send waits as long as Telegram asked")
    func retryAfter() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([
            .init(status: 429, body: #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 1","parameters":{"retry_after":1}}"#)
        ])
        try await Self.run(upstream: upstream) { gateway in
            #expect(try await Self.post(gateway, Self.update(3, "Szia!")).status == 200)
            let requests = try await gateway.upstream.waitForRequests(2, timeout: .seconds(15))
            #expect(requests[0].path == requests[1].path)
            #expect(requests[1].receivedAt - requests[0].receivedAt >= .seconds(1))
        }
    }

    @Test("an operator's button with a payload over 64 bytes goes as a reference; the tap reaches the agents as the payload")
    func payloadReference() async throws {
        try await Self.run { gateway in
            #expect(try await Self.post(gateway, Self.update(4, "Szia!")).status == 200)
            _ = try await gateway.upstream.waitForRequests(1)
            let conversations = try await gateway.admin("/conversations?channel=telegram").json["items"] as? [NSDictionary] ?? []
            let id = try #require(conversations.first?["id"] as? Int)
            let payload = "HANDOFF:" + String(repeating: "visszaküldés ", count: 6)
            let reply = try await gateway.operatorReply(
                conversation: id, #"{"reply":{"text":"Kérsz kollégát?","quick_replies":[{"title":"Igen","payload":"\#(payload)"}]}}"#)
            #expect(reply.status == 202)
            let requests = try await gateway.upstream.waitForRequests(2)
            let keyboard = (requests[1].json["reply_markup"] as? NSDictionary)?["inline_keyboard"] as? [[NSDictionary]]
            let data = try #require(keyboard?.first?.first?["callback_data"] as? String)
            #expect(data.hasPrefix("ref:") && data.utf8.count <= 64)
            #expect(try await Self.post(gateway, Self.tap(5, data: data)).status == 200)
            var mode: String?
            for _ in 0..<200 where mode != "human" {
                try await Task.sleep(for: .milliseconds(25))
                let items = try await gateway.admin("/conversations?channel=telegram").json["items"] as? [NSDictionary] ?? []
                mode = items.first?["mode"] as? String
            }
            #expect(mode == "human", "the agents saw HANDOFF:…, not the reference")
        }
    }

    @Test("chatbuddy telegram set-webhook registers PUBLIC_BASE_URL/webhooks/telegram with the secret")
    func setWebhook() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 200, body: #"{"ok":true,"result":true,"description":"Webhook was set"}"#)])
        try await upstream.serve { base in
            let shipped = GatewayHarness.packageRoot.appendingPathComponent("webhooks.yml").path
            let environment = [
                "TELEGRAM_BOT_TOKEN": Self.token, "TELEGRAM_WEBHOOK_SECRET": Self.secret, "TELEGRAM_API_BASE_URL": base,
                "PUBLIC_BASE_URL": "https://chat.example.hu",
            ]
            let (status, output) = try await ChatbuddyCommand.run(["telegram", "set-webhook", "--config", shipped], environment: environment)
            #expect(status == 0, "\(output)")
            #expect(output.contains("webhook set: https://chat.example.hu/webhooks/telegram"))
            let call = try #require(await upstream.requests.first)
            #expect(call.path == "/bot\(Self.token)/setWebhook")
            #expect(call.json["url"] as? String == "https://chat.example.hu/webhooks/telegram")
            #expect(call.json["secret_token"] as? String == Self.secret)
            #expect(call.json["allowed_updates"] as? [String] == ["message", "edited_message", "callback_query"])
            #expect(!output.contains(Self.token), "the token is never printed")

            let (unset, message) = try await ChatbuddyCommand.run(["telegram", "set-webhook", "--config", shipped])
            #expect(unset == 2)
            #expect(message.contains("channels.telegram"))
        }
    }
}
