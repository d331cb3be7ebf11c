import Channels
import Foundation
@testable import Gateway
import Synchronization
import TestSupport
import Testing

/// The messages the shop's events lead to, on a real gateway whose clock the test moves ahead: cart reminders
/// (once, with consent, under the cap, outside quiet hours, as a WhatsApp template outside the window) and
/// order updates (no consent needed; Messenger's update tag outside the window).
@Suite("Proactive messages")
struct ProactiveMessagingTests {
    /// A clock that runs with the system's, moved ahead by the test.
    final class MovableClock: Sendable {
        private let offset = Mutex<TimeInterval>(0)

        var clock: WallClock { WallClock { [self] in self.offset.withLock { $0 } } }
        var now: Date { clock.now() }

        func advance(minutes: Double) {
            offset.withLock { $0 += minutes * 60 }
        }
    }

    static let cartURL = "https://shop.example.hu/kosar/"

    static func configure(_ config: inout GatewayConfig, clock: MovableClock) {
        config.shopEventsSecret = ShopEventsTests.secret
        config.webshop.feed = CatalogEndToEndTests.sampleCatalog
        config.marketing.abandonedCartAfter = .seconds(90 * 60)
        config.marketing.quietHours = nil
        config.clock = clock.clock
        config.jobPollInterval = .milliseconds(50)
    }

    static func cart(_ id: String, cart: String, _ customer: String, skus: [String] = ["KG-003"]) -> String {
        let items = skus.map { #"{"sku":"\#($0)","quantity":1,"price":12990}"# }.joined(separator: ",")
        return #"{"id":"\#(id)","type":"cart_updated","cart_id":"\#(cart)","customer":\#(customer),"items":[\#(items)],"url":"\#(cartURL)\#(cart)"}"#
    }

    static func psid(_ user: String) -> String { #"{"messenger_psid":"\#(user)"}"# }

    /// A Messenger customer who wrote and, when `subscribe`, tapped the newsletter subscription.
    static func customer(_ gateway: GatewayHarness, _ user: String, subscribe: Bool, at clock: MovableClock) async throws {
        let time = Int(clock.now.timeIntervalSince1970 * 1000)
        #expect(try await gateway.webhook(Messenger.body(Messenger.text("m-\(user)-1", from: user, "Szia", at: time))).status == 200)
        var replies = 1
        if subscribe {
            let tap = Messenger.quickReply("m-\(user)-2", from: user, "Feliratkozom", payload: "SUBSCRIBE:newsletter", at: time + 1)
            #expect(try await gateway.webhook(Messenger.body(tap)).status == 200)
            replies = 2
        }
        try await waitUntil("\(user) is answered") { await sent(gateway, to: user).count >= replies }
    }

    /// The Send API bodies the fake Graph API took for `user`.
    static func sent(_ gateway: GatewayHarness, to user: String) async -> [NSDictionary] {
        await gateway.upstream.requests.map(\.json).filter { ($0["recipient"] as? NSDictionary)?["id"] as? String == user }
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("timed out waiting until \(what)")
    }

    /// The customer's stored proactive decisions (from their export): reference → outcome.
    static func decisions(_ gateway: GatewayHarness, user: String) async throws -> [String: String] {
        let found = try await gateway.admin("/customers?q=\(user)").json["items"] as? [NSDictionary]
        guard let id = found?.first?["id"] as? Int else { return [:] }
        let export = try await gateway.admin("/customers/\(id)/export")
        let rows = (export.json["tables"] as? NSDictionary)?["proactive_messages"] as? [NSDictionary] ?? []
        var decisions: [String: String] = [:]
        for row in rows { decisions[row["reference"] as? String ?? ""] = row["outcome"] as? String }
        return decisions
    }

    static func json(_ body: NSDictionary) -> String {
        (try? JSONSerialization.data(withJSONObject: body)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    static func text(_ body: NSDictionary) -> String {
        ((body["message"] as? NSDictionary)?["text"] as? String) ?? ""
    }

    @Test("a cart left without an order gets one reminder with its products; an order in time, a retried event and the cap stop the rest", arguments: TestDatabase.engines)
    func cartReminder(engine: TestDatabase) async throws {
        let clock = MovableClock()
        try await GatewayHarness.run(engine: engine, configure: { Self.configure(&$0, clock: clock); $0.marketing.maxPerWeek = 1 }) { gateway in
            _ = try await CatalogEndToEndTests.waitForCatalog(gateway)
            try await Self.customer(gateway, "U-ANNA", subscribe: true, at: clock)
            try await Self.customer(gateway, "U-BELA", subscribe: false, at: clock)
            let before = await Self.sent(gateway, to: "U-ANNA").count

            let annasCart = Self.cart("e1", cart: "c-1", Self.psid("U-ANNA"))
            #expect(try await ShopEventsTests.post(gateway, annasCart).status == 202)
            #expect(try await ShopEventsTests.post(gateway, annasCart).status == 200, "a retry is taken once")
            // Anna's second cart is ordered in time; her third would exceed the cap of one a week.
            #expect(try await ShopEventsTests.post(gateway, Self.cart("e2", cart: "c-2", Self.psid("U-ANNA"))).status == 202)
            let order = #"{"id":"e3","type":"order_placed","cart_id":"c-2","order_id":"1042","customer":{"messenger_psid":"U-ANNA"}}"#
            #expect(try await ShopEventsTests.post(gateway, order).status == 202)
            clock.advance(minutes: 1)
            #expect(try await ShopEventsTests.post(gateway, Self.cart("e4", cart: "c-3", Self.psid("U-ANNA"), skus: ["TEL-001"])).status == 202)
            #expect(try await ShopEventsTests.post(gateway, Self.cart("e5", cart: "c-4", Self.psid("U-BELA"))).status == 202)

            clock.advance(minutes: 60)
            try await Task.sleep(for: .milliseconds(600))
            #expect(await Self.sent(gateway, to: "U-ANNA").count == before, "nothing before the wait is over")

            // The first two carts are due; the third a minute later, when the first has had the week's one.
            clock.advance(minutes: 29.5)
            try await Self.waitUntil("the first carts are decided") { try await Self.decisions(gateway, user: "U-ANNA").count == 2 }
            clock.advance(minutes: 2)
            try await Self.waitUntil("every cart is decided") { try await Self.decisions(gateway, user: "U-ANNA").count == 3 }
            // Its text and its card go one after the other; a loaded machine may take a while for the second.
            try await Self.waitUntil("Anna's reminder is sent with its card") {
                await Self.sent(gateway, to: "U-ANNA").dropFirst(before).map(Self.json).contains { $0.contains("ADD_TO_CART:KG-003") }
            }
            try await Task.sleep(for: .milliseconds(300))
            let reminder = Array(await Self.sent(gateway, to: "U-ANNA").dropFirst(before)).map(Self.json)
            #expect(reminder.filter { $0.contains("proactive:abandoned_cart") }.count == reminder.count, "only reminders: \(reminder)")
            #expect(reminder.allSatisfy { !$0.contains("cart:c-2") && !$0.contains("cart:c-3") }, "one cart reminded")
            #expect(reminder.filter { $0.contains(#"kosar\/c-1"#) }.count == 1, "the way back to the cart, once: \(reminder)")
            #expect(reminder.contains { $0.contains("ADD_TO_CART:KG-003") }, "the cart's product as a card: \(reminder)")

            #expect(try await Self.decisions(gateway, user: "U-ANNA") == ["cart:c-1": "sent", "cart:c-2": "skipped:ordered", "cart:c-3": "skipped:frequency_cap"])
            try await Self.waitUntil("Béla's cart is decided") { try await Self.decisions(gateway, user: "U-BELA") == ["cart:c-4": "skipped:no_consent"] }

            // The reminder is part of Anna's conversation: it shows in its history, and her answer continues it.
            let conversations = try #require(try await gateway.admin("/conversations?channel=messenger").json["items"] as? [NSDictionary])
            let anna = try #require(conversations.first { $0["user_id"] as? String == "U-ANNA" })
            let history = try await gateway.admin("/conversations/\(try #require(anna["id"] as? Int))/messages").json["items"] as? [NSDictionary] ?? []
            #expect(history.contains { ($0["text"] as? String ?? "").contains("\(Self.cartURL)c-1") })
            let answer = Messenger.text("m-anna-3", from: "U-ANNA", "Köszi, mennyi a szállítás?", at: Int(clock.now.timeIntervalSince1970 * 1000))
            #expect(try await gateway.webhook(Messenger.body(answer)).status == 200)
            try await Self.waitUntil("Anna's question is answered") { await Self.sent(gateway, to: "U-ANNA").count > before + 2 }
            let after = try #require(try await gateway.admin("/conversations?channel=messenger").json["items"] as? [NSDictionary])
            #expect(after.filter { $0["user_id"] as? String == "U-ANNA" }.count == 1, "one conversation")
        }
    }

    @Test("an opted-out customer gets neither a reminder nor an order update", arguments: TestDatabase.engines)
    func optedOut(engine: TestDatabase) async throws {
        let clock = MovableClock()
        try await GatewayHarness.run(engine: engine, configure: { Self.configure(&$0, clock: clock); SMSEndToEndTests.configure(&$0) }) { gateway in
            // An SMS customer subscribes to the shop's texts (marketing consent on SMS), then texts STOP.
            #expect(try await SMSEndToEndTests.post(gateway, "/webhooks/sms", SMSEndToEndTests.sms("SM1", "Feliratkozom a hírlevélre")).status == 200)
            try await Self.waitUntil("the subscription is recorded") {
                let found = try await gateway.admin("/customers?q=\(SMSEndToEndTests.customer.dropFirst())").json["items"] as? [NSDictionary]
                guard let id = found?.first?["id"] as? Int else { return false }
                let consents = (try await gateway.admin("/customers/\(id)/export").json["tables"] as? NSDictionary)?["consents"] as? [NSDictionary]
                return consents?.contains { $0["topic"] as? String == "sms" } == true
            }
            #expect(try await SMSEndToEndTests.post(gateway, "/webhooks/sms", SMSEndToEndTests.sms("SM2", "STOP")).status == 200)
            let phone = #"{"phone":"\#(SMSEndToEndTests.customer)"}"#
            let user = String(SMSEndToEndTests.customer.dropFirst())
            try await Self.waitUntil("the opt-out is recorded") {
                let conversations = try await gateway.admin("/conversations?channel=sms").json["items"] as? [NSDictionary] ?? []
                guard let id = conversations.first?["id"] as? Int else { return false }
                return try await gateway.admin("/conversations/\(id)").json["opted_out"] as? Bool == true
            }
            #expect(try await ShopEventsTests.post(gateway, Self.cart("s1", cart: "sc-1", phone)).status == 202)
            #expect(try await ShopEventsTests.post(gateway, #"{"id":"s2","type":"order_status_changed","order_id":"4001","status":"shipped","customer":\#(phone)}"#).status == 202)
            clock.advance(minutes: 91)
            try await Self.waitUntil("both are decided") {
                try await Self.decisions(gateway, user: user) == ["cart:sc-1": "skipped:opted_out", "order:4001:shipped": "skipped:opted_out"]
            }
            let texts = await gateway.upstream.requests.map(\.body)
            #expect(!texts.contains { $0.contains("kosar") || $0.contains("4001") }, "nothing after STOP")
        }
    }

    @Test("order updates by SMS, with the tracking link, and by e-mail, with the order's products as a grid", arguments: TestDatabase.engines)
    func orderUpdatesBySMSAndEmail(engine: TestDatabase) async throws {
        let clock = MovableClock()
        try await GatewayHarness.run(engine: engine, configure: {
            SMSEndToEndTests.configure(&$0)
            EmailEndToEndTests.configure(&$0)
            Self.configure(&$0, clock: clock)
        }) { gateway in
            _ = try await CatalogEndToEndTests.waitForCatalog(gateway)
            // Each customer wrote once and was answered.
            #expect(try await SMSEndToEndTests.post(gateway, "/webhooks/sms", SMSEndToEndTests.sms("SM1", "Mennyi a szállítási díj?")).status == 200)
            let mail = EmailEndToEndTests.email(
                subject: "Szállítás", text: Array("Szia! Mennyi a szállítási díj?\n".utf8), headers: "Message-ID: <order-test@mail.gmail.com>\n")
            #expect(try await EmailEndToEndTests.post(gateway, mail).status == 200)
            _ = try await gateway.upstream.waitForRequests(2, timeout: .seconds(30))

            for (prefix, customer) in [("s", #"{"phone":"\#(SMSEndToEndTests.customer)"}"#), ("e", #"{"email":"kovacs.eva@gmail.com"}"#)] {
                let order = "\(prefix == "s" ? 5001 : 5002)"
                for event in [
                    Self.cart("\(prefix)1", cart: "\(prefix)c-1", customer, skus: ["KG-003", "TEL-001"]),
                    #"{"id":"\#(prefix)2","type":"order_placed","cart_id":"\#(prefix)c-1","order_id":"\#(order)","customer":\#(customer)}"#,
                    #"{"id":"\#(prefix)3","type":"order_status_changed","order_id":"\#(order)","status":"shipped","tracking_url":"https://track.example/\#(order)","customer":\#(customer)}"#,
                ] {
                    #expect(try await ShopEventsTests.post(gateway, event).status == 202)
                }
            }
            let updates = { await gateway.upstream.requests.filter { $0.body.contains("track.example") } }
            try await Self.waitUntil("both updates are sent") { await updates().count >= 2 }
            let sms = try #require(await updates().first { $0.path.hasSuffix("/Messages.json") })
            let text = SMSEndToEndTests.form(sms)["Body"] ?? ""
            #expect(SMSEndToEndTests.form(sms)["To"] == SMSEndToEndTests.customer)
            #expect(text.contains("5001") && text.contains("https://track.example/5001"), "\(text)")
            let email = try #require(await updates().first { $0.path == "/v3/mail/send" })
            let html = ((email.json["content"] as? [NSDictionary])?.last?["value"] as? String) ?? ""
            #expect(html.contains("https://track.example/5002"))
            #expect(html.contains("Tefal filteres kávéfőző") && html.contains("Samsung Galaxy A55"), "the order's products")
            #expect(((email.json["personalizations"] as? [NSDictionary])?.first?["to"] as? [NSDictionary])?.first?["email"] as? String == "kovacs.eva@gmail.com")
            let smsDecisions = try await Self.decisions(gateway, user: String(SMSEndToEndTests.customer.dropFirst()))
            #expect(smsDecisions["order:5001:shipped"] == "sent")
        }
    }

    @Test("a reminder due in quiet hours waits for their end", arguments: TestDatabase.engines)
    func quietHours(engine: TestDatabase) async throws {
        let clock = MovableClock()
        let zone = TimeZone(identifier: "Europe/Budapest")!
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func clockTime(_ date: Date) -> String {
            let parts = calendar.dateComponents([.hour, .minute], from: date)
            return String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        }
        // Quiet from an hour after the cart until three hours after it: the reminder, due at 90 minutes, waits.
        let start = clock.now
        let quiet = try QuietHours("\(clockTime(start.addingTimeInterval(3600)))-\(clockTime(start.addingTimeInterval(3 * 3600)))", timeZone: zone)
        try await GatewayHarness.run(engine: engine, configure: { Self.configure(&$0, clock: clock); $0.marketing.quietHours = quiet }) { gateway in
            try await Self.customer(gateway, "U-CILI", subscribe: true, at: clock)
            let before = await Self.sent(gateway, to: "U-CILI").count
            #expect(try await ShopEventsTests.post(gateway, Self.cart("q1", cart: "q-1", Self.psid("U-CILI"))).status == 202)
            clock.advance(minutes: 92)
            try await Task.sleep(for: .milliseconds(800))
            #expect(await Self.sent(gateway, to: "U-CILI").count == before, "not in quiet hours")
            #expect(try await Self.decisions(gateway, user: "U-CILI").isEmpty, "postponed, not decided")
            clock.advance(minutes: 90)
            try await Self.waitUntil("the reminder goes after the quiet hours") { await Self.sent(gateway, to: "U-CILI").count > before }
            #expect(try await Self.decisions(gateway, user: "U-CILI") == ["cart:q-1": "sent"])
        }
    }

    @Test("order updates need no consent: Messenger inside the window, then with the update tag; WhatsApp's approved templates outside it", arguments: TestDatabase.engines)
    func orderUpdates(engine: TestDatabase) async throws {
        let clock = MovableClock()
        try await GatewayHarness.run(engine: engine, configure: {
            Self.configure(&$0, clock: clock)
            WhatsAppEndToEndTests.configure(&$0, reengagement: false)
            $0.whatsapp?.templates.byName["abandoned_cart"] = .init(approvedName: "chatbuddy_abandoned_cart", language: "hu", bodyParameters: 2)
        }) { gateway in
            _ = try await CatalogEndToEndTests.waitForCatalog(gateway)
            try await Self.customer(gateway, "U-DORA", subscribe: false, at: clock)
            let before = await Self.sent(gateway, to: "U-DORA").count
            for event in [
                Self.cart("o1", cart: "oc-1", Self.psid("U-DORA"), skus: ["KG-003", "TEL-001"]),
                #"{"id":"o2","type":"order_placed","cart_id":"oc-1","order_id":"2001","customer":{"messenger_psid":"U-DORA"}}"#,
                #"{"id":"o3","type":"order_status_changed","order_id":"2001","status":"shipped","tracking_url":"https://track.example/2001","customer":{"messenger_psid":"U-DORA"}}"#,
            ] {
                #expect(try await ShopEventsTests.post(gateway, event).status == 202)
            }
            try await Self.waitUntil("the shipping update is sent") { await Self.sent(gateway, to: "U-DORA").count >= before + 2 }
            let shipped = Array(await Self.sent(gateway, to: "U-DORA").dropFirst(before))
            #expect(Self.text(shipped[0]).contains("https://track.example/2001") && Self.text(shipped[0]).contains("2001"), "\(shipped[0])")
            #expect(shipped[0]["messaging_type"] as? String == "RESPONSE", "inside the window")
            let elements = (((shipped[1]["message"] as? NSDictionary)?["attachment"] as? NSDictionary)?["payload"] as? NSDictionary)?["elements"] as? [NSDictionary]
            #expect(elements?.count == 2, "the order's products: \(shipped[1])")

            // Two days later the window has closed: the update goes with Messenger's update tag.
            clock.advance(minutes: 48 * 60)
            let delivered = #"{"id":"o4","type":"order_status_changed","order_id":"2001","status":"delivered","customer":{"messenger_psid":"U-DORA"}}"#
            #expect(try await ShopEventsTests.post(gateway, delivered).status == 202)
            try await Self.waitUntil("the delivery update is sent") { await Self.sent(gateway, to: "U-DORA").count >= before + 3 }
            let late = try #require(await Self.sent(gateway, to: "U-DORA").dropFirst(before + 2).first)
            #expect(late["messaging_type"] as? String == "MESSAGE_TAG" && late["tag"] as? String == "POST_PURCHASE_UPDATE", "\(late)")

            // A WhatsApp customer, whose window closes too: an approved template, with their name and the order.
            let reply = String(decoding: try Fixtures.data("whatsapp/interactive_button_reply.json"), as: UTF8.self)
                .replacingOccurrences(of: "ORDER_CONFIRM:1042", with: "SUBSCRIBE:newsletter")
                .replacing(/"timestamp":"\d+"/, with: #""timestamp":"\#(Int(clock.now.timeIntervalSince1970))""#)
            #expect(try await WhatsAppEndToEndTests.post(gateway, Data(reply.utf8)).status == 200)
            let whatsapp = { await gateway.upstream.requests.map(\.json).filter { $0["messaging_product"] as? String == "whatsapp" && $0["to"] as? String == WhatsAppEndToEndTests.customer } }
            try await Self.waitUntil("the subscription is answered") { await whatsapp().count >= 1 }
            clock.advance(minutes: 25 * 60)
            let customer = #"{"whatsapp_id":"\#(WhatsAppEndToEndTests.customer)"}"#
            #expect(try await ShopEventsTests.post(gateway, #"{"id":"w1","type":"order_status_changed","order_id":"3001","status":"shipped","customer":\#(customer)}"#).status == 202)
            #expect(try await ShopEventsTests.post(gateway, Self.cart("w2", cart: "wc-1", customer)).status == 202)
            clock.advance(minutes: 91)
            try await Self.waitUntil("both templates are sent") { await whatsapp().filter { $0["type"] as? String == "template" }.count >= 2 }
            let templates = await whatsapp().filter { $0["type"] as? String == "template" }.compactMap { $0["template"] as? NSDictionary }
            #expect(Set(templates.compactMap { $0["name"] as? String }) == ["order_shipped", "chatbuddy_abandoned_cart"])
            let cartParameters = ((templates.first { $0["name"] as? String == "chatbuddy_abandoned_cart" }?["components"] as? [NSDictionary])?.first?["parameters"] as? [NSDictionary])?
                .compactMap { $0["text"] as? String }
            #expect(cartParameters == ["Kovács Éva", "\(Self.cartURL)wc-1"])
        }
    }
}

/// `ChatBuddy.track` over the widget's socket: about the session's own visitor only, and only what a page may report.
@Suite("Tracked widget events")
struct TrackedWidgetEventTests {
    @Test("a page reports its visitor's cart and order; an event naming another customer stays the visitor's; others are refused")
    func track() async throws {
        try await GatewayHarness.run { gateway in
            let socket = gateway.widget("track-session-1")
            _ = try await socket.next("history")
            _ = socket.say("Szia!")
            _ = try await socket.next("chat_response")
            // The page names another customer: the event is still this visitor's, under an id of this session.
            socket.send(#"{"type":"track","event":"cart_updated","event_id":"e1","cart_id":"c-1","url":"https://shop.example.hu/kosar","items":[{"sku":"KG-003","quantity":1,"price":12990}],"customer":{"email":"someone@else.hu"}}"#)
            socket.send(#"{"type":"track","event":"order_status_changed","order_id":"1","status":"shipped"}"#)
            let refused = try await socket.next("error")
            #expect(refused["error_type"] as? String == "invalid_event")
            socket.send(#"{"type":"track","event":"cart_updated","cart_id":"c-2"}"#)
            let incomplete = try await socket.next("error")
            #expect(incomplete["error_type"] as? String == "invalid_event" && (incomplete["error_message"] as? String ?? "").contains("url"))
            _ = try await socket.close()

            let customers = try #require(try await gateway.admin("/customers?q=track-session-1").json["items"] as? [NSDictionary])
            let export = try await gateway.admin("/customers/\(try #require(customers.first?["id"] as? Int))/export")
            let events = (export.json["tables"] as? NSDictionary)?["shop_events"] as? [NSDictionary] ?? []
            #expect(events.compactMap { $0["id"] as? String } == ["widget:track-session-1:e1"])
            let body = events.first?["body"] as? String ?? ""
            #expect(body.contains(#""widget_session":"track-session-1""#))
            let namesOther = body.contains("someone@else.hu")
            #expect(!namesOther, "\(body)")
        }
    }
}
