import Channels
import Foundation
import Gateway
import TestSupport
import Testing

@Suite("WhatsApp, end to end")
struct WhatsAppEndToEndTests {
    static let number = "113298471935602"
    static let customer = "36209876543"
    static let secret = "wa-app-secret-5e1f"

    static func configure(_ config: inout GatewayConfig, reengagement: Bool = true, markAsRead: Bool = false) {
        var whatsapp = GatewayConfig.WhatsApp(verifyToken: "wa-verify", appSecret: secret, accessToken: "wa-token", phoneNumberIDs: [number])
        whatsapp.graphBaseURL = config.messenger!.graphBaseURL
        whatsapp.templates = WhatsAppTemplates([
            "reengagement": .init(approvedName: "chatbuddy_reengagement", language: "hu", buttonPayloads: ["REENGAGE_CONTINUE"]),
            "order_shipped": .init(approvedName: "order_shipped", language: "hu", bodyParameters: 2),
        ])
        whatsapp.reengagementTemplate = reengagement ? "reengagement" : nil
        whatsapp.markAsRead = markAsRead
        config.whatsapp = whatsapp
    }

    static func sent(_ id: String) -> FakeUpstream.Answer {
        .init(status: 200, body: #"{"messaging_product":"whatsapp","contacts":[{"input":"36209876543","wa_id":"36209876543"}],"messages":[{"id":"\#(id)"}]}"#)
    }

    static func graphError(_ code: Int, status: Int = 400) -> FakeUpstream.Answer {
        .init(status: status, body: #"{"error":{"message":"error \#(code)","type":"OAuthException","code":\#(code)}}"#)
    }

    static func post(_ gateway: GatewayHarness, _ body: Data, signed: Bool = true) async throws -> GatewayHarness.Answer {
        var headers = [("Content-Type", "application/json")]
        if signed { headers.append(("X-Hub-Signature-256", MetaSignature(appSecret: secret).header(for: body))) }
        return try await gateway.request(.POST, "/webhooks/whatsapp", headers: headers, body: body)
    }

    /// A shared fixture with its timestamps moved to now (its own are years old: outside the 24-hour window).
    static func fixture(_ name: String) throws -> Data {
        let text = String(decoding: try Fixtures.data("whatsapp/\(name).json"), as: UTF8.self)
        let now = #""timestamp":"\#(Int(Date().timeIntervalSince1970))""#
        return Data(text.replacing(/"timestamp":"\d+"/, with: now).utf8)
    }

    /// A text message from the customer, `age` seconds old.
    static func text(_ id: String, _ body: String, age: TimeInterval = 0, number: String = number) -> Data {
        let time = Int(Date().timeIntervalSince1970 - age)
        return Data(#"""
            {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
             "metadata":{"display_phone_number":"36301234567","phone_number_id":"\#(number)"},
             "contacts":[{"profile":{"name":"Kovács Éva"},"wa_id":"36209876543"}],
             "messages":[{"from":"36209876543","id":"\#(id)","timestamp":"\#(time)","type":"text","text":{"body":"\#(body)"}}]}}]}]}
            """#.utf8)
    }

    static func statuses(_ items: [(String, String)], error: Bool = false) -> Data {
        let list = items.map { id, status in
            let errors = status == "failed" ? #","errors":[{"code":131026,"title":"Message undeliverable"}]"# : ""
            return #"{"id":"\#(id)","status":"\#(status)","timestamp":"1732612700","recipient_id":"36209876543"\#(errors)}"#
        }
        return Data(#"""
            {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
             "metadata":{"phone_number_id":"\#(number)"},"statuses":[\#(list.joined(separator: ","))]}}]}]}
            """#.utf8)
    }

    @Test("verification, signature and malformed bodies")
    func verification() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            let ok = try await gateway.request(.GET, "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42&hub.verify_token=wa-verify")
            #expect(ok.status == 200)
            #expect(ok.body == "42")
            #expect(try await gateway.request(.GET, "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=42&hub.verify_token=x").status == 403)
            #expect(try await Self.post(gateway, Self.text("w0", "Szia"), signed: false).status == 401)
            let malformed = try await Self.post(gateway, Data(#"{"object":"whatsapp_business_account","entry":[{"changes":[{"value":{"messages":[]}}]}]}"#.utf8))
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("metadata.phone_number_id is required"))
        }
        try await GatewayHarness.run { gateway in
            let disabled = try await Self.post(gateway, Self.text("w0", "Szia"))
            #expect(disabled.status == 404, "disabled without its settings")
        }
    }

    @Test("a person answering from the WhatsApp Business app takes the conversation; the bot stays quiet", arguments: TestDatabase.engines)
    func businessAppEcho(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine, configure: { Self.configure(&$0) }) { gateway in
            #expect(try await Self.post(gateway, Self.text("wb1", "Szia!")).status == 200)
            _ = try await gateway.upstream.waitForRequests(1)
            #expect(try await Self.post(gateway, try Self.fixture("smb_message_echo")).status == 200)
            let human = try await gateway.admin("/conversations?mode=human").json["items"] as? [NSDictionary] ?? []
            let id = try #require(human.first?["id"] as? Int)
            #expect(human.count == 1 && human.first?["channel"] as? String == "whatsapp")
            let taken = try await gateway.admin("/handoffs?state=taken").json["items"] as? [NSDictionary] ?? []
            #expect(taken.first?["operator"] as? String == "WhatsApp Business app")
            let messages = try await gateway.admin("/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
            #expect(messages.first?["kind"] as? String == "human_reply")
            #expect(messages.first?["text"] as? String == "Szia, Péter vagyok a boltból, segítek.")

            _ = try await Self.post(gateway, Self.text("wb2", "Köszönöm, Péter!"))
            try await HandoffEndToEndTests.handled(gateway, conversation: id, text: "Köszönöm, Péter!")
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == 1, "the bot does not talk over the person")
        }
    }

    @Test("every inbound kind is stored and answered (reactions are not); replies to a quoted message quote it back")
    func inboundKinds() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            let kinds = ["reply_with_context", "interactive_button_reply", "interactive_list_reply", "image_with_caption", "document", "video", "location", "reaction"]
            for kind in kinds {
                #expect(try await Self.post(gateway, try Self.fixture(kind)).status == 200)
            }
            let requests = try await gateway.upstream.waitForRequests(7)
            #expect(requests.allSatisfy { $0.path == "/\(Self.number)/messages" && $0.header("Authorization") == "Bearer wa-token" })
            let bodies = requests.map(\.json)
            #expect(bodies.allSatisfy { $0["messaging_product"] as? String == "whatsapp" && $0["to"] as? String == Self.customer })
            let quoted = bodies.filter { $0["context"] != nil }
            #expect(quoted.count >= 1)
            #expect((quoted.first?["context"] as? NSDictionary)?["message_id"] as? String == "wamid.HBgLMzYyMDk4NzY1NDMVAgASGBQzQUI3MEQ4RjE2QjM0MDhCRjQ5NwA=")
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == 7, "the reaction gets no answer")
            let stored = try await gateway.messages(channel: "whatsapp").filter { $0["direction"] as? String == "in" }
            #expect(stored.count == 8)
            #expect(Set(stored.compactMap { $0["kind"] as? String }) == ["text", "quick_reply", "attachments", "location", "reaction"])
            // A retried webhook is acknowledged and not answered again.
            #expect(try await Self.post(gateway, try Self.fixture("location")).status == 200)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == 7)
        }
    }

    @Test("a batch of several entries and changes is processed whole")
    func batch() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            func change(_ id: String, _ from: String) -> String {
                #"{"field":"messages","value":{"messaging_product":"whatsapp","metadata":{"phone_number_id":"\#(Self.number)"},"messages":[{"from":"\#(from)","id":"\#(id)","timestamp":"\#(Int(Date().timeIntervalSince1970))","type":"text","text":{"body":"Szia"}}]}}"#
            }
            let body = Data(#"{"object":"whatsapp_business_account","entry":[{"id":"A","changes":[\#(change("b1", "3611")),\#(change("b2", "3612"))]},{"id":"B","changes":[\#(change("b3", "3613"))]}]}"#.utf8)
            #expect(try await Self.post(gateway, body).status == 200)
            let requests = try await gateway.upstream.waitForRequests(3)
            #expect(Set(requests.compactMap { $0.json["to"] as? String }) == ["3611", "3612", "3613"])
        }
    }

    @Test("statuses move our message forward only, record failures, and unknown ones are acknowledged", arguments: TestDatabase.engines)
    func statuses(engine: TestDatabase) async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([Self.sent("wamid.OUT1")])
        try await GatewayHarness.run(engine: engine, upstream: upstream, configure: { Self.configure(&$0) }) { gateway in
            _ = try await Self.post(gateway, Self.text("s1", "Köszönöm!"))
            _ = try await gateway.upstream.waitForRequests(1)
            try await gateway.waitForMessages(channel: "whatsapp") { $0.contains { $0["platform_message_id"] as? String == "wamid.OUT1" } }
            #expect(try await Self.post(gateway, Self.statuses([("wamid.OUT1", "read"), ("wamid.OUT1", "delivered"), ("wamid.UNKNOWN", "delivered")])).status == 200)
            try await gateway.waitForMessages(channel: "whatsapp") { $0.contains { $0["platform_message_id"] as? String == "wamid.OUT1" && $0["status"] as? String == "read" } }
            let metrics = try await gateway.request(.GET, "/metrics").body
            #expect(metrics.contains(#"chatbuddy_inbound_events_total{channel="whatsapp",result="receipt_unknown"} 1"#))
        }
        let failing = FakeUpstream()
        await failing.enqueue([Self.sent("wamid.OUT2")])
        try await GatewayHarness.run(engine: engine, upstream: failing, configure: { Self.configure(&$0) }) { gateway in
            _ = try await Self.post(gateway, Self.text("s2", "Köszönöm!"))
            try await gateway.waitForMessages(channel: "whatsapp") { $0.contains { $0["platform_message_id"] as? String == "wamid.OUT2" } }
            _ = try await Self.post(gateway, Self.statuses([("wamid.OUT2", "failed")]))
            try await gateway.waitForMessages(channel: "whatsapp") { items in
                items.contains { $0["status"] as? String == "failed" && $0["error"] as? String == "131026: Message undeliverable" }
            }
        }
    }

    @Test("outside the 24-hour window the re-engagement template goes instead; without one the reply waits as needs_template")
    func window() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            _ = try await Self.post(gateway, Self.text("o1", "Szia!", age: 25 * 3600))
            let request = try #require(try await gateway.upstream.waitForRequests(1).first)
            #expect(request.json["type"] as? String == "template")
            let template = try #require(request.json["template"] as? NSDictionary)
            #expect(template["name"] as? String == "chatbuddy_reengagement")
            #expect((template["language"] as? NSDictionary)?["code"] as? String == "hu")
        }
        try await GatewayHarness.run(configure: { Self.configure(&$0, reengagement: false) }) { gateway in
            _ = try await Self.post(gateway, Self.text("o2", "Szia!", age: 25 * 3600))
            try await gateway.waitForMessages(channel: "whatsapp") { $0.contains { $0["status"] as? String == "needs_template" } }
            #expect(await gateway.upstream.requests.isEmpty)
        }
    }

    @Test("error 131047 takes the template path; 130429 is retried with the same body; 131026 is not")
    func errorCodes() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([Self.graphError(131047), Self.sent("wamid.T1")])
        try await GatewayHarness.run(upstream: upstream, configure: { Self.configure(&$0) }) { gateway in
            _ = try await Self.post(gateway, Self.text("e1", "Szia!"))
            let requests = try await gateway.upstream.waitForRequests(2)
            #expect(requests[0].json["type"] as? String == "interactive" || requests[0].json["type"] as? String == "text")
            #expect(requests[1].json["type"] as? String == "template")
        }
        let limited = FakeUpstream()
        await limited.enqueue([Self.graphError(130429), Self.sent("wamid.R1")])
        try await GatewayHarness.run(upstream: limited, configure: { Self.configure(&$0) }) { gateway in
            _ = try await Self.post(gateway, Self.text("e2", "Köszönöm!"))
            let requests = try await gateway.upstream.waitForRequests(2)
            #expect(requests[0].body == requests[1].body)
            try await gateway.waitForMessages(channel: "whatsapp") { $0.contains { $0["platform_message_id"] as? String == "wamid.R1" } }
        }
        let refused = FakeUpstream()
        await refused.enqueue([Self.graphError(131026)])
        try await GatewayHarness.run(upstream: refused, configure: { Self.configure(&$0) }) { gateway in
            _ = try await Self.post(gateway, Self.text("e3", "Köszönöm!"))
            try await gateway.waitForMessages(channel: "whatsapp") { $0.contains { $0["status"] as? String == "failed" } }
            #expect(await gateway.upstream.requests.count == 1)
        }
    }

    @Test("limits: 3 choices are buttons, 4 a list, 12 a list of 10 plus text; cards a list and images; marked as read")
    func rendering() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0, markAsRead: true) }) { gateway in
            _ = try await Self.post(gateway, Self.text("r1", "Köszönöm!"))
            let first = try await gateway.upstream.waitForRequests(2)
            #expect(first[0].json["status"] as? String == "read")
            #expect(first[0].json["message_id"] as? String == "r1")
            let conversation = try #require((try await gateway.admin("/conversations?channel=whatsapp").json["items"] as? [NSDictionary])?.first?["id"] as? Int)

            func reply(_ json: String) async throws {
                let answer = try await gateway.operatorReply(conversation: conversation, json)
                #expect(answer.status == 202)
            }
            func options(_ count: Int) -> String {
                (1...count).map { #"{"title":"Opció \#($0)","payload":"OPT_\#($0)"}"# }.joined(separator: ",")
            }
            try await reply(#"{"reply":{"text":"Megerősíted?","quick_replies":[\#(options(3))]}}"#)
            try await reply(#"{"reply":{"text":"Válassz:","quick_replies":[\#(options(4))]}}"#)
            try await reply(#"{"reply":{"text":"Sok lehetőség:","quick_replies":[\#(options(12))]}}"#)
            try await reply(#"{"reply":{"text":"Ajánlat:","cards":[{"title":"Kávés bögre piros","subtitle":"2 990 Ft","sku":"B1","image_url":"/products/household.svg","url":"https://shop.example.hu/b1","buttons":[{"type":"postback","title":"Kosárba","payload":"ADD_TO_CART:B1"}]}]}}"#)
            try await reply(##"{"reply":{"template":{"name":"order_shipped","language":"hu","parameters":["Éva","#1042"]}}}"##)
            let all = try await gateway.upstream.waitForRequests(9).map(\.json)

            let buttons = all[2]
            #expect(buttons["type"] as? String == "interactive")
            let buttonsInteractive = try #require(buttons["interactive"] as? NSDictionary)
            #expect(buttonsInteractive["type"] as? String == "button")
            let replyButtons = try #require((buttonsInteractive["action"] as? NSDictionary)?["buttons"] as? [NSDictionary])
            #expect(replyButtons.count == 3)
            #expect(replyButtons.allSatisfy { $0["type"] as? String == "reply" })
            #expect((replyButtons[0]["reply"] as? NSDictionary)?["id"] as? String == "OPT_1")

            func rows(_ body: NSDictionary) -> [NSDictionary] {
                let action = (body["interactive"] as? NSDictionary)?["action"] as? NSDictionary
                return ((action?["sections"] as? [NSDictionary]) ?? []).flatMap { ($0["rows"] as? [NSDictionary]) ?? [] }
            }
            #expect((all[3]["interactive"] as? NSDictionary)?["type"] as? String == "list")
            #expect(rows(all[3]).count == 4)
            #expect(((all[3]["interactive"] as? NSDictionary)?["action"] as? NSDictionary)?["button"] as? String == "Lehetőségek")
            #expect(rows(all[4]).count == 10)
            #expect(((all[5]["text"] as? NSDictionary)?["body"] as? String)?.contains("11) Opció 11") == true)
            #expect(((all[5]["text"] as? NSDictionary)?["body"] as? String)?.contains("12) Opció 12") == true)

            #expect(all[6]["type"] as? String == "image")
            #expect((all[6]["image"] as? NSDictionary)?["link"] as? String == "http://localhost:8080/products/household.svg")
            #expect(rows(all[7]).first?["id"] as? String == "ADD_TO_CART:B1")
            #expect(rows(all[7]).first?["description"] as? String == "2 990 Ft")

            let template = try #require(all[8]["template"] as? NSDictionary)
            #expect(template["name"] as? String == "order_shipped")
            let parameters = ((template["components"] as? [NSDictionary])?.first?["parameters"] as? [NSDictionary])?.compactMap { $0["text"] as? String }
            #expect(parameters == ["Éva", "#1042"])
        }
    }
}

extension WhatsAppEndToEndTests {
    @Test("an unsupported message is answered politely once; media links are looked up only when an operator asks")
    func unsupportedAndMedia() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([
            Self.sent("wamid.U1"),
            .init(status: 200, body: #"{"url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1234","mime_type":"image/jpeg","file_size":30422,"id":"1234567890123456","messaging_product":"whatsapp"}"#),
        ])
        try await GatewayHarness.run(upstream: upstream, configure: { Self.configure(&$0) }) { gateway in
            func unsupported(_ id: String) -> Data {
                Data(#"""
                    {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
                     "metadata":{"phone_number_id":"\#(Self.number)"},
                     "messages":[{"from":"36209876543","id":"\#(id)","timestamp":"\#(Int(Date().timeIntervalSince1970))","type":"unsupported","errors":[{"code":131051,"title":"Message type unknown"}]}]}}]}]}
                    """#.utf8)
            }
            _ = try await Self.post(gateway, unsupported("u1"))
            let first = try await gateway.upstream.waitForRequests(1)
            #expect(((first[0].json["text"] as? NSDictionary)?["body"] as? String)?.contains("nem tudom megjeleníteni") == true)
            _ = try await Self.post(gateway, unsupported("u2"))
            try await gateway.waitForMessages(channel: "whatsapp") { $0.filter { $0["direction"] as? String == "in" && $0["status"] as? String == "processed" }.count == 2 }
            #expect(await gateway.upstream.requests.count == 1, "said once")

            let media = try await gateway.admin("/whatsapp/media/1234567890123456")
            #expect(media.status == 200)
            #expect(media.json["url"] as? String == "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1234")
            let lookup = try #require(await gateway.upstream.requests.last)
            #expect(lookup.method == "GET")
            #expect(lookup.path == "/1234567890123456")
            #expect(lookup.header("Authorization") == "Bearer wa-token")
        }
    }
}

extension WhatsAppEndToEndTests {
    /// One message of the given type and object, signed as Meta sends it.
    static func message(_ id: String, _ type: String, _ object: String) -> Data {
        Data(#"""
            {"object":"whatsapp_business_account","entry":[{"id":"W","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",
             "metadata":{"phone_number_id":"\#(number)"},"contacts":[{"profile":{"name":"Kovács Éva"},"wa_id":"\#(customer)"}],
             "messages":[{"from":"\#(customer)","id":"\#(id)","timestamp":"\#(Int(Date().timeIntervalSince1970))","type":"\#(type)",\#(object)}]}}]}]}
            """#.utf8)
    }

    @Test("voice, a sticker, shared contacts and a template button are stored and answered; a cart goes to an operator")
    func moreKinds() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            let sends: [(String, String, String)] = [
                ("k1", "audio", #""audio":{"id":"a1","mime_type":"audio/ogg; codecs=opus","voice":true}"#),
                ("k2", "sticker", #""sticker":{"id":"s1","mime_type":"image/webp","animated":false}"#),
                ("k3", "contacts", #""contacts":[{"name":{"formatted_name":"Kis János"},"phones":[{"phone":"+36 30 111 2222","type":"CELL"}]}]"#),
                ("k4", "button", #""button":{"payload":"MENU_ORDER","text":"Rendelésem"}"#),
                ("k5", "order", #""order":{"catalog_id":"C1","product_items":[{"product_retailer_id":"KG-001","quantity":1,"item_price":89990,"currency":"HUF"}]}"#),
            ]
            for (index, send) in sends.enumerated() {
                #expect(try await Self.post(gateway, Self.message(send.0, send.1, send.2)).status == 200)
                _ = try await gateway.upstream.waitForRequests(index + 1)
            }
            let stored = try await gateway.messages(channel: "whatsapp").filter { $0["direction"] as? String == "in" }
            #expect(stored.count == 5)
            #expect(stored.compactMap { $0["kind"] as? String }.sorted() == ["attachments", "attachments", "attachments", "quick_reply", "quick_reply"])
            let answers = await gateway.upstream.requests.map(\.json)
            #expect(answers.allSatisfy { $0["to"] as? String == Self.customer })
            let orderAnswer = try #require(answers.last)
            let words = ((orderAnswer["text"] as? NSDictionary)?["body"] as? String) ?? ((orderAnswer["interactive"] as? NSDictionary)?["body"] as? NSDictionary)?["text"] as? String
            #expect(words?.contains("kollégámnak") == true, "the cart is handed to a person: \(words ?? "")")
            let open = try await gateway.admin("/handoffs?state=open").json["items"] as? [NSDictionary] ?? []
            #expect(open.first?["reason"] as? String == "🛒 1 × KG-001 (89990 HUF)")
            let askedForNumber = answers[3]
            let asked = ((askedForNumber["text"] as? NSDictionary)?["body"] as? String) ?? ((askedForNumber["interactive"] as? NSDictionary)?["body"] as? NSDictionary)?["text"] as? String
            #expect(asked?.lowercased().contains("rendelés") == true, "the template button's payload routed to order status: \(asked ?? "")")
        }
    }
}
