import Channels
import Foundation
import Gateway
import Mustache
import TestSupport
import Testing

@Suite("Email through SendGrid, end to end")
struct EmailEndToEndTests {
    static let token = "inbound-token-4b1d"
    static let apiKey = "SG.test-key"

    static func configure(_ config: inout GatewayConfig) {
        // The conversations ask about shipping, which the demo's shop facts answer.
        GatewayHarness.demoWithoutCatalog(&config)
        let layout = GatewayHarness.packageRoot.appendingPathComponent("templates/email/layout.mustache")
        var settings = EmailSettings(
            fromAddress: "support@example.hu",
            layout: try! MustacheTemplate(string: try! String(contentsOf: layout, encoding: .utf8)))
        settings.fromName = "Example Webshop"
        settings.replyTo = "support@inbound.example.hu"
        settings.publicBaseURL = "https://bolt.example.hu"
        settings.unsubscribeKey = EmailUnsubscribe.derivedKey(from: token)
        var email = GatewayConfig.Email(apiKey: apiKey, inboundToken: token, settings: settings)
        email.apiBaseURL = config.messenger!.graphBaseURL
        email.maxAttachmentBytes = 4096
        config.email = email
    }

    static func accepted(_ id: String) -> FakeUpstream.Answer {
        .init(status: 202, headers: ["X-Message-Id": id], body: "")
    }

    static func post(_ gateway: GatewayHarness, _ body: [UInt8], token: String? = token) async throws -> GatewayHarness.Answer {
        try await gateway.request(
            .POST, "/webhooks/email" + (token.map { "?token=\($0)" } ?? ""),
            headers: [("Content-Type", "multipart/form-data; boundary=xYzZY")], body: Data(body))
    }

    /// An Inbound Parse post in the default mode.
    static func email(
        from: String = "Kovács Éva <kovacs.eva@gmail.com>", subject: String, text: [UInt8], charset: String = "UTF-8", headers: String
    ) -> [UInt8] {
        let address = from.split(separator: "<").last.map { String($0.dropLast()) } ?? from
        return InboundParsePost.body([
            ("headers", Array(headers.utf8)), ("from", Array(from.utf8)), ("to", Array("support@inbound.example.hu".utf8)),
            ("subject", Array(subject.utf8)), ("text", text),
            ("envelope", Array(#"{"to":["support@inbound.example.hu"],"from":"\#(address)"}"#.utf8)),
            ("charsets", Array(#"{"to":"UTF-8","subject":"UTF-8","from":"UTF-8","text":"\#(charset)"}"#.utf8)),
        ])
    }

    static func conversations(_ gateway: GatewayHarness) async throws -> [NSDictionary] {
        try await gateway.admin("/conversations?channel=email").json["items"] as? [NSDictionary] ?? []
    }

    static func inbound(_ gateway: GatewayHarness) async throws -> [NSDictionary] {
        var all: [NSDictionary] = []
        for conversation in try await conversations(gateway) {
            let id = conversation["id"] as? Int ?? 0
            let items = try await gateway.admin("/conversations/\(id)/messages?limit=100").json["items"] as? [NSDictionary] ?? []
            all += items.filter { $0["direction"] as? String == "in" }
        }
        return all
    }

    @Test("a plain email is answered through mail/send: bearer key, Re: subject, threading headers, text then HTML")
    func plainEmail() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([Self.accepted("sg-1")])
        try await GatewayHarness.run(upstream: upstream, configure: { Self.configure(&$0) }) { gateway in
            let body = Self.email(
                subject: "Szállítás", text: Array("Szia! Mennyi a szállítási díj?\n".utf8),
                headers: "Message-ID: <CAHx9QzK1vW+Xy2@mail.gmail.com>\nSubject: Szállítás\n")
            let answer = try await Self.post(gateway, body)
            #expect(answer.status == 200)
            let request = try #require(try await gateway.upstream.waitForRequests(1).first)
            #expect(request.path == "/v3/mail/send")
            #expect(request.header("Authorization") == "Bearer \(Self.apiKey)")
            let json = request.json
            #expect(json["subject"] as? String == "Re: Szállítás")
            #expect(((json["personalizations"] as? [NSDictionary])?.first?["to"] as? [NSDictionary])?.first == ["email": "kovacs.eva@gmail.com", "name": "Kovács Éva"])
            #expect((json["from"] as? NSDictionary)?["email"] as? String == "support@example.hu")
            let headers = try #require(json["headers"] as? NSDictionary)
            #expect(headers["In-Reply-To"] as? String == "<CAHx9QzK1vW+Xy2@mail.gmail.com>")
            #expect(headers["References"] as? String == "<CAHx9QzK1vW+Xy2@mail.gmail.com>")
            let content = try #require(json["content"] as? [NSDictionary])
            #expect(content.map { $0["type"] as? String } == ["text/plain", "text/html"])
            #expect((content[0]["value"] as? String)?.contains("Foxpost") == true)
            #expect((content[1]["value"] as? String)?.contains("<!DOCTYPE html>") == true)

            // The customer answers our reply: the same thread, so the same conversation.
            let ours = try #require(headers["Message-ID"] as? String)
            let second = Self.email(
                subject: "Re: Szállítás", text: Array("Köszönöm! És csomagautomatába is kérhetem?\n\nExample Webshop <support@example.hu> ezt írta (időpont: 2024. nov. 26.):\n> GLS futárral...\n".utf8),
                headers: "Message-ID: <CAHx9QzK1vW+Xy9@mail.gmail.com>\nIn-Reply-To: \(ours)\nReferences: <CAHx9QzK1vW+Xy2@mail.gmail.com> \(ours)\n")
            #expect(try await Self.post(gateway, second).status == 200)
            let replies = try await gateway.upstream.waitForRequests(2)
            let threaded = try #require(replies[1].json["headers"] as? NSDictionary)
            #expect(threaded["In-Reply-To"] as? String == "<CAHx9QzK1vW+Xy9@mail.gmail.com>")
            #expect(threaded["References"] as? String == "<CAHx9QzK1vW+Xy2@mail.gmail.com> <CAHx9QzK1vW+Xy9@mail.gmail.com>")
            #expect(replies[1].json["subject"] as? String == "Re: Szállítás")
            #expect(try await Self.conversations(gateway).count == 1)
            let stored = try await Self.inbound(gateway)
            #expect(stored.contains { $0["text"] as? String == "Köszönöm! És csomagautomatába is kérhetem?" }, "the quoted history is not the customer's text")

            // SendGrid retries the post: acknowledged, not answered again.
            #expect(try await Self.post(gateway, second).status == 200)
            try await Task.sleep(for: .milliseconds(300))
            #expect(await gateway.upstream.requests.count == 2)

            // An operator's answer goes to the same thread, as a reply to the customer's latest email.
            let id = try #require(try await Self.conversations(gateway).first?["id"] as? Int)
            let operatorReply = try await gateway.operatorReply(conversation: id, #"{"reply":{"text":"Igen, a Foxpost automatába is kérheted."}}"#)
            #expect(operatorReply.status == 202)
            let all = try await gateway.upstream.waitForRequests(3)
            #expect(all[2].json["subject"] as? String == "Re: Szállítás", "not Re: Re:")
            let operatorHeaders = try #require(all[2].json["headers"] as? NSDictionary)
            #expect(operatorHeaders["In-Reply-To"] as? String == "<CAHx9QzK1vW+Xy9@mail.gmail.com>")
            #expect(((all[2].json["personalizations"] as? [NSDictionary])?.first?["to"] as? [NSDictionary])?.first?["name"] as? String == "Kovács Éva")
        }
    }

    @Test("ISO-8859-2 text, attachments as metadata, a new thread per new subject; 429 from SendGrid is retried")
    func charsetsAttachmentsAndRetry() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 429, headers: ["Retry-After": "0"], body: #"{"errors":[{"message":"too many"}]}"#), Self.accepted("sg-2")])
        try await GatewayHarness.run(upstream: upstream, configure: { Self.configure(&$0) }) { gateway in
            let latin2 = Self.email(
                from: "Nagy Ödön <odon@freemail.hu>", subject: "Kérdés", text: InboundParsePost.latin2 + Array(" kellene".utf8), charset: "iso-8859-2",
                headers: "Message-ID: <latin2@freemail.hu>\n")
            #expect(try await Self.post(gateway, latin2).status == 200)
            let sends = try await gateway.upstream.waitForRequests(2)
            #expect(sends[0].body == sends[1].body, "the same body again after 429")
            let stored = try await Self.inbound(gateway)
            #expect(stored.first?["text"] as? String == "Árvíztűrő tükörfúrógép kellene")

            let attachments = Array(try Fixtures.data("sendgrid/parse_with_attachments.multipart"))
            #expect(try await Self.post(gateway, attachments).status == 200)
            _ = try await gateway.upstream.waitForRequests(3)
            let all = try await Self.inbound(gateway)
            let withFiles = try #require(all.first { $0["kind"] as? String == "attachments" })
            #expect(withFiles["text"] as? String == "Csatolom a számlát és a fotót.\n[image: image001.png]")
            #expect(try await Self.conversations(gateway).count == 2, "another sender, another thread")
        }
    }

    @Test("a wrong or missing token is 401, an attachment over the limit 413, a body that is not a parse post 400; nothing stored")
    func refusals() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            let body = Self.email(subject: "x", text: Array("Szia".utf8), headers: "Message-ID: <r1@x.hu>\n")
            let wrong = try await Self.post(gateway, body, token: "guess")
            #expect(wrong.status == 401)
            let missing = try await Self.post(gateway, body, token: nil)
            #expect(missing.status == 401)
            var large = Array(try Fixtures.data("sendgrid/parse_with_attachments.multipart"))
            let marker = Array("%%EOF".utf8)
            let at = try #require((0..<(large.count - marker.count)).first { Array(large[$0..<($0 + marker.count)]) == marker })
            large.insert(contentsOf: [UInt8](repeating: 65, count: 5000), at: at)
            let tooLarge = try await Self.post(gateway, large)
            #expect(tooLarge.status == 413)
            #expect(tooLarge.errorCode == "attachment_too_large")
            let notForm = try await gateway.request(.POST, "/webhooks/email?token=\(Self.token)", headers: [("Content-Type", "application/json")], body: Data("{}".utf8))
            #expect(notForm.status == 400)
            let stored = try await Self.conversations(gateway)
            #expect(stored.isEmpty)
            #expect(await gateway.upstream.requests.isEmpty)
        }
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            // An out-of-office reply is acknowledged and never answered (no mail loop).
            let away = Self.email(subject: "Re: Szállítás", text: Array("Szabadságon vagyok.".utf8), headers: "Message-ID: <ooo@x.hu>\nAuto-Submitted: auto-replied\n")
            #expect(try await Self.post(gateway, away).status == 200)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await Self.conversations(gateway).isEmpty)
            #expect(await gateway.upstream.requests.isEmpty)
            let metrics = try await gateway.request(.GET, "/metrics").body
            #expect(metrics.contains(#"kind="automatic""#))
        }
        try await GatewayHarness.run { gateway in
            let off = try await gateway.request(.POST, "/webhooks/email?token=x", headers: [("Content-Type", "multipart/form-data; boundary=xYzZY")], body: Data())
            #expect(off.status == 404)
        }
    }

    @Test("marketing mail carries a one-click unsubscribe link that records the refusal")
    func unsubscribe() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            _ = try await Self.post(gateway, Self.email(subject: "Akció?", text: Array("Milyen akciók vannak most?".utf8), headers: "Message-ID: <u1@gmail.com>\n"))
            let first = try #require(try await gateway.upstream.waitForRequests(1).first)
            let header = try #require((first.json["headers"] as? NSDictionary)?["List-Unsubscribe"] as? String, "the promotions answer is marketing")
            let link = try #require(header.firstMatch(of: /<https:\/\/bolt\.example\.hu(\/unsubscribe\/email\?[^>]+)>/))
            let forged = try await gateway.request(.POST, "/unsubscribe/email?address=kovacs.eva%40gmail.com&token=forged")
            #expect(forged.status == 403)
            // A GET (a click, or a scanner following links) only asks to confirm.
            let id = try #require(try await Self.conversations(gateway).first?["id"] as? Int)
            let confirm = try await gateway.request(.GET, String(link.1))
            #expect(confirm.status == 200)
            #expect(confirm.body.contains("<form method=\"post\""))
            let before = try await gateway.admin("/conversations/\(id)/consents")
            #expect(!before.body.contains("newsletter"), "\(before.body)")
            // The link is signed with a key of its own, not the inbound token.
            let token = String(link.1.split(separator: "token=").last ?? "")
            let withInboundToken = EmailUnsubscribe(key: Self.token).token(for: "kovacs.eva@gmail.com")
            #expect(token != withInboundToken)
            let done = try await gateway.request(
                .POST, String(link.1), headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("List-Unsubscribe=One-Click".utf8))
            #expect(done.status == 200)
            #expect(done.body == "unsubscribed")
            let answer = try await gateway.admin("/conversations/\(id)/consents")
            let consents = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [NSDictionary])
            #expect(consents.contains { $0["topic"] as? String == "newsletter" && $0["granted"] as? Bool == false })
        }
    }
}

extension EmailEndToEndTests {
    @Test("an operator's email is written in the customer's language and threaded on their latest email")
    func operatorInEnglish() async throws {
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            let body = Self.email(
                from: "John Smith <john@example.com>", subject: "Delivery question",
                text: Array("Hello, could you tell me when my parcel will arrive? Thank you very much!".utf8),
                headers: "Message-ID: <en1@example.com>\n")
            #expect(try await Self.post(gateway, body).status == 200)
            _ = try await gateway.upstream.waitForRequests(1)
            let id = try #require(try await Self.conversations(gateway).first?["id"] as? Int)
            let reply = try await gateway.operatorReply(conversation: id, #"{"reply":{"text":"It left our warehouse today."}}"#)
            #expect(reply.status == 202)
            let sent = try await gateway.upstream.waitForRequests(2)
            #expect(sent[1].json["subject"] as? String == "Re: Delivery question")
            #expect((sent[1].json["headers"] as? NSDictionary)?["In-Reply-To"] as? String == "<en1@example.com>")
            let text = ((sent[1].json["content"] as? [NSDictionary])?.first?["value"] as? String) ?? ""
            #expect(text.hasSuffix("Best regards,\nExample Webshop"), "\(text)")
        }
    }
}

extension EmailEndToEndTests {
    @Test("a mail failing both SPF and DKIM gets no order details and is marked in the admin API; one passing either is normal")
    func unauthenticatedSender() async throws {
        func post(_ gateway: GatewayHarness, id: String, spf: String, dkim: String) async throws {
            let body = InboundParsePost.body([
                ("headers", Array("Message-ID: <\(id)@example.com>\n".utf8)), ("from", Array("Kovács Éva <kovacs.eva@gmail.com>".utf8)),
                ("subject", Array("Rendelés \(id)".utf8)), ("text", Array("Hol tart a rendelésem? A rendelésszám 1000-1000000".utf8)),
                ("envelope", Array(#"{"to":["support@inbound.example.hu"],"from":"kovacs.eva@gmail.com"}"#.utf8)),
                ("SPF", Array(spf.utf8)), ("dkim", Array(dkim.utf8)),
            ])
            #expect(try await Self.post(gateway, body).status == 200)
        }
        try await GatewayHarness.run(configure: { Self.configure(&$0) }) { gateway in
            try await post(gateway, id: "forged", spf: "softfail", dkim: "{@gmail.com : fail}")
            let forged = try #require(try await gateway.upstream.waitForRequests(1).first)
            let text = ((forged.json["content"] as? [NSDictionary])?.first?["value"] as? String) ?? ""
            #expect(text.contains("nem tudtuk hitelesíteni"), "\(text)")
            let inbound = try await Self.inbound(gateway)
            #expect(inbound.first?["sender_verified"] as? Bool == false)

            try await post(gateway, id: "genuine", spf: "fail", dkim: "{@gmail.com : pass}")
            let genuine = try await gateway.upstream.waitForRequests(2)[1]
            let answer = ((genuine.json["content"] as? [NSDictionary])?.first?["value"] as? String) ?? ""
            #expect(!answer.contains("nem tudtuk hitelesíteni"), "\(answer)")
            let marks = try await Self.inbound(gateway).map { $0["sender_verified"] as? Bool }
            #expect(marks.filter { $0 == false }.count == 1)
        }
    }
}
