import Foundation
import Gateway
import NIOHTTP1
import Storage
import TestSupport
import Testing

/// `POST /api/v1/admin/campaigns`: sent a batch of customers at a time to those who consented, counted exactly,
/// cancelled, and never sent twice across a restart.
@Suite("Campaigns")
struct CampaignTests {
    typealias Clock = ProactiveMessagingTests.MovableClock

    static func configure(_ config: inout GatewayConfig, clock: Clock, batch: Int = 250) {
        ProactiveMessagingTests.configure(&config, clock: clock)
        config.marketing.maxPerWeek = 1
        config.marketing.campaignBatchSize = batch
        config.marketing.campaignBatchInterval = .milliseconds(50)
        config.inbound.senderLimit = .init(perMinute: 10_000, burst: 10_000)
    }

    static func user(_ index: Int) -> String { String(format: "C-%04d", index) }

    /// Customers `range` on Messenger: those in `subscribed` tap the newsletter subscription as their first message,
    /// those in `unsubscribed` then take it back; the rest say hello (in English for `english`).
    static func seed(
        _ gateway: GatewayHarness, _ range: Range<Int>, subscribed: (Int) -> Bool, unsubscribed: (Int) -> Bool = { _ in false },
        english: (Int) -> Bool = { _ in false }, clock: Clock
    ) async throws {
        let time = Int(clock.now.timeIntervalSince1970 * 1000)
        func post(_ events: [String]) async throws {
            for chunk in stride(from: 0, to: events.count, by: 100) {
                let body = Messenger.body(entries: [Array(events[chunk..<min(chunk + 100, events.count)])])
                #expect(try await gateway.webhook(body).status == 200)
            }
        }
        try await post(range.map { index in
            subscribed(index)
                ? Messenger.quickReply("s-\(index)", from: user(index), "Feliratkozom", payload: "SUBSCRIBE:newsletter", at: time)
                : Messenger.text("h-\(index)", from: user(index), english(index) ? "Hello, do you ship abroad?" : "Szia", at: time)
        })
        try await waitForAnswers(gateway, users: Set(range.map(user)))
        let leaving = range.filter(unsubscribed)
        try await post(leaving.map {
            Messenger.quickReply("u-\($0)", from: user($0), "Leiratkozom", payload: "UNSUBSCRIBE:newsletter", at: time + 1)
        })
        try await ProactiveMessagingTests.waitUntil("the unsubscriptions are answered") {
            let counts = await answers(gateway)
            return leaving.allSatisfy { counts[user($0), default: 0] >= 2 }
        }
    }

    /// How many messages each recipient was sent.
    static func answers(_ gateway: GatewayHarness, matching: String? = nil) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in await gateway.upstream.requests {
            guard let user = (request.json["recipient"] as? NSDictionary)?["id"] as? String else { continue }
            if let matching, !request.body.contains(matching) { continue }
            counts[user, default: 0] += 1
        }
        return counts
    }

    static func waitForAnswers(_ gateway: GatewayHarness, users: Set<String>) async throws {
        try await ProactiveMessagingTests.waitUntil("every customer is answered", timeout: .seconds(120)) {
            Set(await answers(gateway).keys).isSuperset(of: users)
        }
    }

    static func create(_ gateway: GatewayHarness, _ json: String) async throws -> GatewayHarness.Answer {
        try await gateway.request(
            .POST, "/api/v1/admin/campaigns",
            headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)"), ("Content-Type", "application/json")], body: Data(json.utf8))
    }

    static func counts(_ gateway: GatewayHarness, _ id: Int) async throws -> NSDictionary {
        try await gateway.admin("/campaigns/\(id)").json["counts"] as? NSDictionary ?? [:]
    }

    /// Waits until the campaign is done and every message it stored has been sent.
    static func finished(_ gateway: GatewayHarness, _ id: Int, targeted: Int) async throws -> NSDictionary {
        try await ProactiveMessagingTests.waitUntil("campaign \(id) is sent", timeout: .seconds(120)) {
            let report = try await gateway.admin("/campaigns/\(id)").json
            let counts = report["counts"] as? NSDictionary ?? [:]
            return report["state"] as? String == "done" && counts["targeted"] as? Int == targeted && counts["queued"] as? Int == 0
        }
        return try await counts(gateway, id)
    }

    static let winterSale = #"""
        {"name": "Téli akció", "audience": {"channels": ["messenger"], "consent": "newsletter"},
         "message": {"reply": {"hu": {"text": "Téli akció: minden bögre 20% kedvezménnyel!"}, "en": {"text": "Winter sale: 20% off every mug!"}},
                     "link": "https://shop.example.hu/akcio"}}
        """#

    @Test("1,000 customers of mixed consent: exact counts of sent and skipped, reads, clicks and unsubscribes; a second campaign meets the weekly cap", arguments: TestDatabase.engines)
    func thousand(engine: TestDatabase) async throws {
        let clock = Clock()
        try await GatewayHarness.run(engine: engine, configure: { Self.configure(&$0, clock: clock) }) { gateway in
            // 600 subscribed, 50 of whom took it back: 550 may be sent marketing, 450 may not.
            try await Self.seed(gateway, 0..<1000, subscribed: { $0 % 5 < 3 }, unsubscribed: { $0 % 5 == 0 && $0 < 250 }, clock: clock)
            let created = try await Self.create(gateway, Self.winterSale)
            #expect(created.status == 201, "\(created.body)")
            let id = try #require(created.json["id"] as? Int)
            var counts = try await Self.finished(gateway, id, targeted: 1000)
            #expect(counts["sent"] as? Int == 550 && counts["skipped"] as? NSDictionary == ["no_consent": 450], "\(counts)")
            #expect(counts["failed"] as? Int == 0 && counts["read"] as? Int == 0 && counts["clicked"] as? Int == 0)
            let sale = await Self.answers(gateway, matching: "proactive:campaign:\(id):")
            #expect(sale.count == 550 && sale.values.allSatisfy { $0 == 1 }, "one message each")
            #expect(sale.keys.allSatisfy { user in
                let index = Int(user.dropFirst(2))!
                return index % 5 < 3 && !(index % 5 == 0 && index < 250)
            }, "only those who consent")

            // Ten read it, five follow their link (one of them twice), three unsubscribe.
            let readers = sale.keys.sorted().prefix(10)
            let time = Int(clock.now.timeIntervalSince1970 * 1000) + 60_000
            let reads = readers.map { Messenger.event($0, time, #""read":{"watermark":\#(time)}"#) }
            #expect(try await gateway.webhook(Messenger.body(entries: [reads])).status == 200)
            let bodies = await gateway.upstream.requests.filter { $0.body.contains("proactive:campaign:\(id):") }
            let codes = bodies.prefix(5).compactMap { request -> String? in
                let text = (request.json["message"] as? NSDictionary)?["text"] as? String ?? ""
                return text.split(separator: "/").last.map(String.init)
            }
            #expect(codes.count == 5)
            for code in codes + [codes[0]] {
                let followed = try await gateway.request(.GET, "/l/\(code)")
                #expect(followed.status == 302 && followed.headers["Location"].first == "https://shop.example.hu/akcio")
            }
            let leaving = sale.keys.sorted().suffix(3)
            let taps = leaving.map { Messenger.quickReply("bye-\($0)", from: $0, "Leiratkozom", payload: "UNSUBSCRIBE:newsletter", at: time) }
            #expect(try await gateway.webhook(Messenger.body(entries: [taps])).status == 200)
            try await ProactiveMessagingTests.waitUntil("the reads, clicks and unsubscriptions are counted") {
                let now = try await Self.counts(gateway, id)
                return now["read"] as? Int == 10 && now["unsubscribed"] as? Int == 3
            }
            counts = try await Self.counts(gateway, id)
            #expect(counts["delivered"] as? Int == 10 && counts["clicked"] as? Int == 5 && counts["sent"] as? Int == 550, "\(counts)")

            // A second campaign the same week: the 547 still subscribed have had their one.
            let second = try #require(try await Self.create(gateway, Self.winterSale.replacingOccurrences(of: "Téli akció", with: "Második")).json["id"] as? Int)
            let capped = try await Self.finished(gateway, second, targeted: 1000)
            #expect(capped["sent"] as? Int == 0 && capped["skipped"] as? NSDictionary == ["no_consent": 453, "frequency_cap": 547], "\(capped)")
        }
    }

    @Test("a restart in the middle of a campaign goes on where it stopped and sends nobody twice", arguments: TestDatabase.engines)
    func restart(engine: TestDatabase) async throws {
        let clock = Clock()
        let upstream = FakeUpstream()
        let databaseURL = try await engine.makeURL()
        try await upstream.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            Self.configure(&config, clock: clock, batch: 20)
            config.marketing.campaignBatchInterval = .milliseconds(200)
            // Not the weekly cap but each customer's one decision keeps a campaign from anyone twice.
            config.marketing.maxPerWeek = 10
            var id = 0
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                try await Self.seed(gateway, 0..<300, subscribed: { _ in true }, clock: clock)
                id = try #require(try await Self.create(gateway, Self.winterSale).json["id"] as? Int)
                try await ProactiveMessagingTests.waitUntil("part of the campaign is sent") {
                    await Self.answers(gateway, matching: "proactive:campaign:\(id):").count >= 60
                }
            }
            let before = await upstream.requests.filter { $0.body.contains("proactive:campaign:\(id):") }.count
            #expect(before < 300, "stopped in the middle: \(before)")
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                let counts = try await Self.finished(gateway, id, targeted: 300)
                #expect(counts["sent"] as? Int == 300)
                let sale = await Self.answers(gateway, matching: "proactive:campaign:\(id):")
                #expect(sale.count == 300 && sale.values.allSatisfy { $0 == 1 }, "nobody twice: \(sale.filter { $0.value > 1 })")
            }
            // The worst case of a crash: every customer decided, the progress never recorded. Going through them all
            // again sends nothing more.
            try await Gateway.withStore(url: databaseURL, logger: TestDatabase.logger) { store in
                try await store.advanceCampaign(CampaignID(rawValue: Int64(id)), cursor: 0, state: .sending, at: clock.now)
                try await store.enqueueJobs([JobDraft(kind: "campaign", payload: #"{"campaign":\#(id)}"#, runAt: clock.now)], at: clock.now)
            }
            let sent = await upstream.requests.count
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                try await ProactiveMessagingTests.waitUntil("the campaign is gone through again") {
                    try await gateway.admin("/campaigns/\(id)").json["state"] as? String == "done"
                }
                #expect(try await Self.counts(gateway, id)["sent"] as? Int == 300)
            }
            #expect(await upstream.requests.count == sent, "nothing sent again")
        }
    }

    @Test("the audience's language and activity, a campaign cancelled before its time, and bad campaigns refused with the field named")
    func audienceAndCancel() async throws {
        let clock = Clock()
        try await GatewayHarness.run(configure: { Self.configure(&$0, clock: clock) }) { gateway in
            try await Self.seed(gateway, 0..<20, subscribed: { $0 < 10 }, english: { $0 >= 15 }, clock: clock)
            // The English speakers among those who consent: none (15–19 never subscribed); among everyone: five, skipped.
            let english = try #require(try await Self.create(gateway, Self.winterSale.replacingOccurrences(of: #""consent": "newsletter""#, with: #""consent": "newsletter", "language": "en""#)).json["id"] as? Int)
            let englishCounts = try await Self.finished(gateway, english, targeted: 5)
            #expect(englishCounts["skipped"] as? NSDictionary == ["no_consent": 5])
            // Nobody active in the last hour after two hours pass.
            clock.advance(minutes: 120)
            let after = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(-3600))
            let idle = try #require(try await Self.create(gateway, Self.winterSale.replacingOccurrences(of: #""consent": "newsletter""#, with: #""consent": "newsletter", "active_after": "\#(after)""#)).json["id"] as? Int)
            _ = try await Self.finished(gateway, idle, targeted: 0)

            // Scheduled for tomorrow, cancelled today: nothing goes when its time comes.
            let tomorrow = ISO8601DateFormatter().string(from: clock.now.addingTimeInterval(86_400))
            let later = try #require(try await Self.create(gateway, Self.winterSale.replacingOccurrences(of: #""name": "Téli akció","#, with: #""name": "Holnap", "send_at": "\#(tomorrow)","#)).json["id"] as? Int)
            let cancelled = try await gateway.request(.POST, "/api/v1/admin/campaigns/\(later)/cancel", headers: [("Authorization", "Bearer \(GatewayHarness.adminKey)")])
            #expect(cancelled.status == 200 && cancelled.json["state"] as? String == "cancelled")
            clock.advance(minutes: 25 * 60)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await Self.counts(gateway, later)["targeted"] as? Int == 0)
            #expect(await Self.answers(gateway, matching: "proactive:campaign:\(later):").isEmpty)
            let list = try await gateway.admin("/campaigns").json["items"] as? [NSDictionary] ?? []
            #expect(list.compactMap { $0["name"] as? String }.first == "Holnap", "newest first")

            for (json, reason) in [
                (#"{"name": "x", "message": {"reply": {"hu": {"text": "Szia"}}}, "audience": {"channels": ["fax"]}}"#, "audience.channels"),
                (#"{"name": "x"}"#, "message is required"),
                (#"{"name": "x", "message": {"reply": {"de": {"text": "Hallo"}}}}"#, "message.reply"),
                (#"{"name": "x", "message": {"template": {"name": "nope"}}}"#, "message.template"),
                (#"{"name": "", "message": {"reply": {"hu": {"text": "Szia"}}}}"#, "name"),
            ] {
                let refused = try await Self.create(gateway, json)
                #expect(refused.status == 400 && refused.errorCode == "invalid_campaign" && refused.body.contains(reason), "\(json): \(refused.body)")
            }
            #expect(try await Self.create(gateway, "[]").errorCode == "invalid_json")
            #expect(try await gateway.request(.POST, "/api/v1/admin/campaigns", body: Data(Self.winterSale.utf8)).status == 401)
            #expect(try await gateway.admin("/campaigns/999").status == 404)
        }
    }
}
