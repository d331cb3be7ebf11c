import AsyncHTTPClient
import Channels
import Foundation
import Gateway
import TestSupport
import Testing

@Suite("SMS through Twilio, end to end")
struct SMSEndToEndTests {
    static let account = "ACae9f4d2b7c1e80a3f5d6b7c8d9e0f1a2"
    static let token = "9f2d7c41a0b3e5d6c8f1a2b3c4d5e6f7"
    static let ours = "+3617000123"
    static let customer = "+36301234567"
    static let publicURL = "https://gateway.example.com"

    static func configure(_ config: inout GatewayConfig, apiBase: String? = nil) {
        // The conversations ask about shipping, which the demo's shop facts answer.
        GatewayHarness.demoWithoutCatalog(&config)
        config.server.publicBaseURL = publicURL
        var sms = GatewayConfig.SMS(accountSID: account, authToken: token)
        sms.apiBaseURL = apiBase ?? config.messenger!.graphBaseURL
        sms.settings.fromNumber = ours
        sms.settings.publicBaseURL = publicURL
        sms.settings.statusCallback = publicURL + "/webhooks/sms/status"
        config.sms = sms
    }

    static func run(
        databaseURL: String? = nil, upstream: FakeUpstream = FakeUpstream(), _ body: (GatewayHarness) async throws -> Void
    ) async throws {
        if let databaseURL {
            try await upstream.serve { base in
                var config = GatewayHarness.config(graphURL: base, databaseURL: databaseURL)
                configure(&config)
                try await GatewayHarness.run(config: config, upstream: upstream, body)
            }
        } else {
            try await GatewayHarness.run(upstream: upstream, configure: { configure(&$0) }, body)
        }
    }

    /// Posts a form to `path`, signed as Twilio signs it over the public URL (unless told otherwise).
    static func post(_ gateway: GatewayHarness, _ path: String, _ fields: [(String, String)], signature: String? = nil) async throws -> GatewayHarness.Answer {
        let header = signature ?? TwilioSignature(authToken: token).signature(url: publicURL + path, parameters: fields)
        return try await gateway.request(
            .POST, path, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("X-Twilio-Signature", header)],
            body: Data(FormEncoding.encode(fields).utf8))
    }

    static func sms(_ sid: String, _ body: String, from: String = customer) -> [(String, String)] {
        [("ToCountry", "HU"), ("ToState", ""), ("SmsMessageSid", sid), ("NumMedia", "0"), ("SmsSid", sid), ("SmsStatus", "received"),
         ("Body", body), ("To", ours), ("NumSegments", "1"), ("MessageSid", sid), ("AccountSid", account), ("From", from),
         ("ApiVersion", "2010-04-01")]
    }

    static func created(_ sid: String) -> FakeUpstream.Answer {
        .init(status: 201, body: #"{"sid":"\#(sid)","status":"queued","num_segments":"1"}"#)
    }

    static func form(_ request: FakeUpstream.Request) -> [String: String] {
        Dictionary(FormEncoding.decode(request.body), uniquingKeysWith: { a, _ in a })
    }

    @Test("signed SMS in (ASCII, Hungarian, MMS): empty TwiML back; replies out as Messages API forms with basic auth")
    func inboundAndReply() async throws {
        try await Self.run { gateway in
            let answer = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM01", "Mennyi a szállítási díj? Foxpost csomagautomatába is kérhetem?"))
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "Content-Type")?.hasPrefix("text/xml") == true)
            #expect(answer.body == #"<?xml version="1.0" encoding="UTF-8"?><Response />"#)
            let request = try #require(try await gateway.upstream.waitForRequests(1).first)
            #expect(request.path == "/2010-04-01/Accounts/\(Self.account)/Messages.json")
            #expect(request.header("Authorization") == "Basic " + Data("\(Self.account):\(Self.token)".utf8).base64EncodedString())
            #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
            let fields = Self.form(request)
            #expect(fields["To"] == Self.customer && fields["From"] == Self.ours)
            // The callback URL names the outbox row, so Twilio's report confirms this very send.
            #expect(fields["StatusCallback"]?.hasPrefix("https://gateway.example.com/webhooks/sms/status?outbox=sms:") == true)
            let reply = try #require(fields["Body"])
            #expect(!reply.isEmpty && SMSSegments(reply).count <= 3)

            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM02", "Hi, is order #1042 shipped yet?"))
            let second = try await gateway.upstream.waitForRequests(2)
            let hungarian = Self.form(second[0])["Body"] ?? ""
            #expect(hungarian.contains("Foxpost") && hungarian.contains("szállítunk"), "answered in Hungarian: \(hungarian)")
            #expect(SMSSegments(hungarian).encoding == .ucs2 && SMSSegments(hungarian).count <= 3)

            var mms = Self.sms("MM03", "Ilyen állapotban jött")
            mms += [("NumMedia", "1"), ("MediaUrl0", "https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM03/Media/ME1"), ("MediaContentType0", "image/jpeg")]
            mms.removeAll { $0 == ("NumMedia", "0") }
            #expect(try await Self.post(gateway, "/webhooks/sms", mms).status == 200)
            _ = try await gateway.upstream.waitForRequests(3)
            let stored = try await gateway.messages(channel: "sms").filter { $0["direction"] as? String == "in" }
            #expect(stored.count == 3)
            #expect(stored.contains { $0["kind"] as? String == "attachments" })

            // A retried webhook is acknowledged and not answered again.
            #expect(try await Self.post(gateway, "/webhooks/sms", Self.sms("SM01", "Mennyi a szállítási díj? Foxpost csomagautomatába is kérhetem?")).status == 200)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == 3)
        }
    }

    @Test("a wrong or missing signature is 401 and stores nothing; a signed form without MessageSid is 400; off without settings")
    func refusals() async throws {
        try await Self.run { gateway in
            #expect(try await Self.post(gateway, "/webhooks/sms", Self.sms("SMX", "Szia"), signature: "bm90IGEgc2lnbmF0dXJl").status == 401)
            let unsigned = try await gateway.request(
                .POST, "/webhooks/sms", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data(FormEncoding.encode(Self.sms("SMY", "Szia")).utf8))
            #expect(unsigned.status == 401)
            #expect(unsigned.errorCode == "missing_signature")
            // Signed over another address (PUBLIC_BASE_URL not what Twilio called).
            let elsewhere = TwilioSignature(authToken: Self.token).signature(url: "https://other.example.com/webhooks/sms", parameters: Self.sms("SMZ", "Szia"))
            let misaddressed = try await Self.post(gateway, "/webhooks/sms", Self.sms("SMZ", "Szia"), signature: elsewhere)
            #expect(misaddressed.status == 401)
            #expect(!misaddressed.body.contains("http"), "the 401 does not echo the URL it was checked against")
            let stored = try await gateway.messages(channel: "sms")
            #expect(stored.isEmpty)
            let malformed = try await Self.post(gateway, "/webhooks/sms", [("From", Self.customer), ("Body", "x")])
            #expect(malformed.status == 400)
            #expect(malformed.body.contains("MessageSid is required"))
            #expect(await gateway.upstream.requests.isEmpty)
        }
        try await GatewayHarness.run { gateway in
            let off = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM1", "Szia"))
            #expect(off.status == 404)
        }
    }

    @Test("status callbacks move the reply forward and record the error code", arguments: TestDatabase.engines)
    func statuses(engine: TestDatabase) async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([Self.created("SMOUT1")])
        try await Self.run(databaseURL: try await engine.makeURL(), upstream: upstream) { gateway in
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM10", "Köszönöm!"))
            try await gateway.waitForMessages(channel: "sms") { $0.contains { $0["platform_message_id"] as? String == "SMOUT1" } }
            func status(_ value: String, error: String? = nil) -> [(String, String)] {
                [("SmsSid", "SMOUT1"), ("SmsStatus", value), ("MessageStatus", value), ("To", Self.customer), ("MessageSid", "SMOUT1"),
                 ("AccountSid", Self.account), ("From", Self.ours), ("ApiVersion", "2010-04-01")] + (error.map { [("ErrorCode", $0)] } ?? [])
            }
            #expect(try await Self.post(gateway, "/webhooks/sms/status", status("sent")).status == 200)
            #expect(try await Self.post(gateway, "/webhooks/sms/status", status("delivered")).status == 200)
            try await gateway.waitForMessages(channel: "sms") { $0.contains { $0["platform_message_id"] as? String == "SMOUT1" && $0["status"] as? String == "delivered" } }
            #expect(try await Self.post(gateway, "/webhooks/sms/status", status("sent")).status == 200, "late and stale")
            // Receipts are applied before the acknowledgement: the late `sent` has already been weighed.
            let afterStale = try await gateway.messages(channel: "sms")
            #expect(afterStale.contains { $0["platform_message_id"] as? String == "SMOUT1" && $0["status"] as? String == "delivered" }, "never moved back")
            #expect(try await Self.post(gateway, "/webhooks/sms/status", status("undelivered", error: "30003")).status == 200)
            try await gateway.waitForMessages(channel: "sms") { items in
                items.contains { $0["status"] as? String == "failed" && $0["error"] as? String == "30003: unreachable handset" }
            }
        }
    }
}

extension SMSEndToEndTests {
    @Test("choices go out numbered; a bare number picks one, even after a restart")
    func numberedChoices() async throws {
        let databaseURL = try await TestDatabase.sqlite.makeURL()
        try await Self.run(databaseURL: databaseURL) { gateway in
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM20", "Szia!"))
            let menu = Self.form(try #require(try await gateway.upstream.waitForRequests(1).first))["Body"] ?? ""
            #expect(menu.contains("1) ") && menu.contains("2) Rendelésem"), "the menu numbered: \(menu)")
        }
        let upstream = FakeUpstream()
        try await Self.run(databaseURL: databaseURL, upstream: upstream) { gateway in
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM21", "2"))
            let answer = Self.form(try #require(try await gateway.upstream.waitForRequests(1).first))["Body"] ?? ""
            #expect(answer.contains("rendelésszám"), "2 picked “Rendelésem”: \(answer)")
        }
    }

    @Test("STOP opts out: nothing more is sent (suppressed); HELP and START are answered; error 21610 opts out too")
    func compliance() async throws {
        try await Self.run { gateway in
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM30", "Leiratkozás"))
            try await gateway.waitForMessages(channel: "sms") { $0.contains { $0["direction"] as? String == "in" && $0["status"] as? String == "processed" } }
            let conversation = try #require((try await gateway.admin("/conversations?channel=sms").json["items"] as? [NSDictionary])?.first?["id"] as? Int)
            let reply = try await gateway.operatorReply(conversation: conversation, #"{"reply":{"text":"Új akciónk van!"}}"#)
            #expect(reply.status == 202)
            try await gateway.waitForMessages(channel: "sms") { $0.contains { $0["status"] as? String == "suppressed" } }
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM31", "Mikor nyit a bolt?"))
            try await gateway.waitForMessages(channel: "sms") { $0.filter { $0["status"] as? String == "suppressed" }.count == 2 }
            #expect(await gateway.upstream.requests.isEmpty, "nothing reaches Twilio after STOP")

            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM32", "HELP"))
            try await gateway.waitForMessages(channel: "sms") { $0.filter { $0["status"] as? String == "suppressed" }.count == 3 }
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM33", "START"))
            let started = try await gateway.upstream.waitForRequests(1)
            #expect(Self.form(started[0])["Body"]?.contains("STOP") == true)
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM34", "help"))
            let helped = try await gateway.upstream.waitForRequests(2)
            #expect(Self.form(helped[1])["Body"]?.contains("Ügyfélszolgálat") == true)
        }
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 400, body: #"{"code":21610,"message":"Attempt to send to unsubscribed recipient","status":400}"#)])
        try await Self.run(upstream: upstream) { gateway in
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM40", "Szia!"))
            try await gateway.waitForMessages(channel: "sms") { $0.contains { $0["status"] as? String == "suppressed" } }
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM41", "Mikor nyit a bolt?"))
            try await gateway.waitForMessages(channel: "sms") { $0.filter { $0["status"] as? String == "suppressed" }.count == 2 }
            #expect(await gateway.upstream.requests.count == 1, "the opted-out number is not tried again")
        }
    }

    @Test("with shortening on, links in SMS replies become short links that redirect; unknown codes are 404")
    func shortLinks() async throws {
        try await GatewayHarness.run(configure: { config in
            Self.configure(&config)
            config.sms?.settings.shortenLinks = true
        }) { gateway in
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM50", "Szia!"))
            _ = try await gateway.upstream.waitForRequests(1)
            let conversation = try #require((try await gateway.admin("/conversations?channel=sms").json["items"] as? [NSDictionary])?.first?["id"] as? Int)
            let reply = try await gateway.operatorReply(conversation: conversation, #"{"reply":{"text":"A rendelésed itt követheted: https://bolt.example.hu/rendeles/1042?token=abcdef0123456789"}}"#)
            #expect(reply.status == 202)
            let sent = try await gateway.upstream.waitForRequests(2)
            let body = Self.form(sent[1])["Body"] ?? ""
            let link = try #require(body.firstMatch(of: /https:\/\/gateway\.example\.com\/l\/([A-Za-z0-9]+)/))
            // Not followed: the test talks to 127.0.0.1 only.
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .disallow))
            let response = try await client.execute(HTTPClientRequest(url: gateway.baseURL + "/l/\(link.1)"), timeout: .seconds(5))
            try await client.shutdown()
            #expect(response.status == .found)
            #expect(response.headers.first(name: "Location") == "https://bolt.example.hu/rendeles/1042?token=abcdef0123456789")
            let unknown = try await gateway.request(.GET, "/l/nosuchcd")
            #expect(unknown.status == 404)
        }
    }
}

extension SMSEndToEndTests {
    @Test("an operator's numbered options are answered by number too")
    func operatorChoices() async throws {
        try await Self.run { gateway in
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM60", "Köszönöm!"))
            _ = try await gateway.upstream.waitForRequests(1)
            let conversation = try #require((try await gateway.admin("/conversations?channel=sms").json["items"] as? [NSDictionary])?.first?["id"] as? Int)
            let reply = try await gateway.operatorReply(conversation: conversation, #"{"reply":{"text":"Miben segíthetek még?","quick_replies":[{"title":"Termékek","payload":"MENU_PRODUCTS"},{"title":"Rendelésem","payload":"MENU_ORDER"}]}}"#)
            #expect(reply.status == 202)
            let offered = try await gateway.upstream.waitForRequests(2)
            #expect(Self.form(offered[1])["Body"] == "Miben segíthetek még?\n1) Termékek\n2) Rendelésem")
            _ = try await Self.post(gateway, "/webhooks/sms", Self.sms("SM61", "2"))
            let answer = Self.form(try await gateway.upstream.waitForRequests(3)[2])["Body"] ?? ""
            #expect(answer.contains("rendelésszám"), "2 picked “Rendelésem”: \(answer)")
        }
    }
}
