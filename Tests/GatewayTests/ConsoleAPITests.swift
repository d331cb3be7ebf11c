import AsyncHTTPClient
import Foundation
import Gateway
import NIOCore
import NIOHTTP1
import Storage
import TestSupport
import Testing

/// The admin API as the console uses it: operator sessions with their CSRF token, the list, the actions and
/// the live event stream.
@Suite("The console's API: sessions with CSRF, the list, actions, live events")
struct ConsoleAPITests {
    static let password = "correct horse battery"

    /// A signed-in operator: the session cookie and the CSRF token the console page carries.
    struct Session {
        var cookie: String
        var csrf: String
    }

    /// A gateway with an admin (Anna) and an operator (Kata), on a fresh database of `engine`.
    static func run(
        engine: TestDatabase = .sqlite, configure: @escaping (inout GatewayConfig) -> Void = { _ in },
        _ body: (GatewayHarness, _ anna: Session, _ kata: Session) async throws -> Void
    ) async throws {
        let databaseURL = try await engine.makeURL()
        try await Gateway.withStore(url: databaseURL, logger: TestDatabase.logger) { store in
            let accounts = OperatorAccounts(store: store, cost: 4)
            _ = try await accounts.add(email: "anna@bolt.example.hu", name: "Anna", role: .admin, password: password)
            _ = try await accounts.add(email: "kata@bolt.example.hu", name: "Kata", role: .operator, password: password)
        }
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            GatewayHarness.demoWithoutCatalog(&config)
            configure(&config)
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                try await body(gateway, try await signIn(gateway, "anna@bolt.example.hu"), try await signIn(gateway, "kata@bolt.example.hu"))
            }
        }
    }

    static func signIn(_ gateway: GatewayHarness, _ email: String) async throws -> Session {
        let answer = try await ConsoleLoginTests.signIn(gateway, email, password)
        let cookie = try #require(ConsoleLoginTests.cookie(answer))
        let page = try await gateway.request(.GET, "/console", headers: [("Cookie", cookie)])
        let csrf = try #require(page.body.firstMatch(of: /<meta name="csrf-token" content="([^"]+)">/)?.1)
        return Session(cookie: cookie, csrf: String(csrf))
    }

    /// A console request: the session cookie, and the CSRF token unless `csrf` says otherwise.
    static func call(
        _ gateway: GatewayHarness, _ session: Session, _ method: HTTPMethod, _ path: String, _ body: String? = nil, csrf: String? = nil
    ) async throws -> GatewayHarness.Answer {
        var headers = [("Cookie", session.cookie), ("Content-Type", "application/json")]
        if method != .GET { headers.append(("X-CSRF-Token", csrf ?? session.csrf)) }
        return try await gateway.request(method, "/api/v1/admin" + path, headers: headers, body: body.map { Data($0.utf8) })
    }

    /// A customer on Messenger who asks for a person; the conversation's id once the request is recorded.
    static func customerAsksForAPerson(_ gateway: GatewayHarness, user: String = "U1") async throws -> Int {
        _ = try await gateway.webhook(Messenger.body(Messenger.text("ask-\(user)", from: user, "Élő ügyintézővel szeretnék beszélni")))
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let open = try await gateway.admin("/handoffs?state=open").json["items"] as? [NSDictionary] ?? []
            if let id = open.first(where: { $0["user_id"] as? String == user })?["conversation_id"] as? Int { return id }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw TimedOut()
    }

    struct TimedOut: Error {}

    /// An answer whose body is a JSON array.
    static func array(_ answer: GatewayHarness.Answer) -> [NSDictionary] {
        (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8))) as? [NSDictionary] ?? []
    }

    @Test("a session works the admin API; a change needs its CSRF token; the audit log is for admins; the key still works",
        arguments: TestDatabase.engines)
    func sessionsAndCSRF(engine: TestDatabase) async throws {
        try await Self.run(engine: engine) { gateway, anna, kata in
            let id = try await Self.customerAsksForAPerson(gateway)
            let list = try await Self.call(gateway, kata, .GET, "/inbox")
            #expect(list.status == 200)
            let first = try #require((list.json["items"] as? [NSDictionary])?.first)
            #expect(first["id"] as? Int == id && first["state"] as? String == "waiting" && first["unread"] as? Int == 1)

            let missing = try await gateway.request(
                .POST, "/api/v1/admin/conversations/\(id)/takeover", headers: [("Cookie", kata.cookie)])
            #expect(missing.status == 403 && missing.errorCode == "invalid_csrf")
            let forged = try await Self.call(gateway, kata, .POST, "/conversations/\(id)/takeover", csrf: anna.csrf)
            #expect(forged.status == 403 && forged.errorCode == "invalid_csrf", "another session's token does not do")
            #expect(try await gateway.request(.GET, "/api/v1/admin/inbox").status == 401)
            #expect(try await gateway.request(.GET, "/api/v1/admin/inbox", headers: [("Cookie", "chatbuddy_session=forged")]).status == 401)

            #expect(try await Self.call(gateway, kata, .POST, "/conversations/\(id)/takeover").status == 200)
            let taken = try await Self.call(gateway, kata, .GET, "/inbox?mine=1").json["items"] as? [NSDictionary] ?? []
            #expect(taken.map { $0["id"] as? Int } == [id] && taken.first?["operator"] as? String == "Kata")
            #expect(taken.first?["state"] as? String == "human")
            #expect((try await Self.call(gateway, anna, .GET, "/inbox?mine=1").json["items"] as? [NSDictionary] ?? []).isEmpty)

            let reply = try await Self.call(gateway, kata, .POST, "/conversations/\(id)/replies", #"{"reply":{"text":"Szia, Kata vagyok."}}"#)
            #expect(reply.status == 202)
            let sent = try await gateway.upstream.waitForRequests(2)
            #expect((sent[1].json["message"] as? NSDictionary)?["text"] as? String == "Szia, Kata vagyok.")
            let messages = try await Self.call(gateway, kata, .GET, "/conversations/\(id)/messages").json["items"] as? [NSDictionary] ?? []
            #expect((messages.first?["metadata"] as? NSDictionary)?["operator"] as? String == "Kata")
            #expect((messages.first?["payload"] as? String)?.contains("Szia, Kata vagyok.") == true, "what was sent, to draw it")

            #expect(try await Self.call(gateway, kata, .GET, "/audit-log").errorCode == "admin_only")
            let audit = try await Self.call(gateway, anna, .GET, "/audit-log").json["items"] as? [NSDictionary] ?? []
            let actions = audit.prefix(2).map { "\($0["actor"] ?? "") \($0["action"] ?? "")" }
            #expect(actions == ["kata@bolt.example.hu reply", "kata@bolt.example.hu take_over"])
            #expect(try await gateway.admin("/inbox").status == 200, "the bearer key works as before")
        }
    }

    @Test("assign, notes, read marks, detail, canned replies, accounts; orders need the shop API", arguments: TestDatabase.engines)
    func actions(engine: TestDatabase) async throws {
        try await Self.run(engine: engine) { gateway, anna, kata in
            let id = try await Self.customerAsksForAPerson(gateway)
            let accounts = Self.array(try await Self.call(gateway, anna, .GET, "/operators"))
            let kataID = try #require(accounts.first { $0["email"] as? String == "kata@bolt.example.hu" }?["id"] as? Int)

            let assigned = try await Self.call(gateway, anna, .POST, "/conversations/\(id)/assign", #"{"operator_id":\#(kataID)}"#)
            #expect(assigned.status == 200)
            #expect((try await Self.call(gateway, kata, .GET, "/inbox?mine=1").json["items"] as? [NSDictionary] ?? []).count == 1)
            #expect(try await Self.call(gateway, anna, .POST, "/conversations/\(id)/assign", #"{"operator_id":9999}"#).errorCode == "unknown_operator")
            #expect(try await Self.call(gateway, anna, .POST, "/conversations/\(id)/assign", "{}").errorCode == "invalid_json")

            let note = try await Self.call(gateway, kata, .POST, "/conversations/\(id)/notes", #"{"text":"Visszahívást kért délután."}"#)
            #expect(note.status == 201 && note.json["author"] as? String == "kata@bolt.example.hu")
            #expect(try await Self.call(gateway, kata, .POST, "/conversations/\(id)/notes", #"{"text":"   "}"#).errorCode == "invalid_note")
            #expect(try await Self.call(gateway, kata, .POST, "/conversations/\(id)/seen").status == 204)

            let detail = try await Self.call(gateway, kata, .GET, "/conversations/\(id)").json
            let conversation = try #require(detail["conversation"] as? NSDictionary)
            #expect(conversation["unread"] as? Int == 0 && conversation["operator"] as? String == "Kata")
            #expect((detail["notes"] as? [NSDictionary])?.map { $0["text"] as? String } == ["Visszahívást kért délután."])
            #expect(detail["opted_out"] as? Bool == false)
            #expect(try await Self.call(gateway, kata, .GET, "/conversations/99999").status == 404)
            // A note is for operators only: nothing was sent for it.
            #expect(await gateway.upstream.requests.allSatisfy { !$0.body.contains("Visszahívást") })

            let canned = Self.array(try await Self.call(gateway, kata, .GET, "/canned-replies"))
            #expect(canned.contains { $0["title"] as? String == "Köszönés" })
            #expect(try await Self.call(gateway, kata, .GET, "/conversations/\(id)/orders").errorCode == "orders_unavailable")
            #expect(try await Self.call(gateway, kata, .GET, "/inbox?cursor=12").errorCode == "invalid_cursor")
            #expect(try await Self.call(gateway, kata, .GET, "/inbox?mode=robot").errorCode == "invalid_mode")

            let audit = try await Self.call(gateway, anna, .GET, "/audit-log").json["items"] as? [NSDictionary] ?? []
            #expect(audit.contains { $0["action"] as? String == "assign" && $0["detail"] as? String == "kata@bolt.example.hu" })
        }
    }

    @Test("the event stream tells an open console of a new message and of a hand-off, with who and why")
    func liveEvents() async throws {
        try await Self.run { gateway, _, kata in
            var request = HTTPClientRequest(url: gateway.baseURL + "/api/v1/admin/events")
            request.headers.add(name: "Cookie", value: kata.cookie)
            let response = try await GatewayHarness.client.execute(request, timeout: .seconds(30))
            #expect(response.status == .ok && response.headers.first(name: "Content-Type")?.hasPrefix("text/event-stream") == true)
            let received = try await withThrowingTaskGroup(of: String?.self) { group in
                group.addTask {
                    var text = ""
                    for try await chunk in response.body {
                        text += String(buffer: chunk)
                        if text.contains(#""type":"handoff""#) { return text }
                    }
                    return text
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(200))
                    _ = try await Self.customerAsksForAPerson(gateway, user: "U7")
                    try await Task.sleep(for: .seconds(10))
                    return nil
                }
                defer { group.cancelAll() }
                while let next = try await group.next() {
                    if let text = next { return text }
                }
                return ""
            }
            let events = received.split(separator: "\n").filter { $0.hasPrefix("data: ") }.compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.dropFirst(6).utf8)) as? NSDictionary
            }
            #expect(events.contains { $0["type"] as? String == "message" })
            let handoff = try #require(events.first { $0["type"] as? String == "handoff" })
            #expect(handoff["customer"] as? String == "U7" && handoff["reason"] as? String == "Élő ügyintézővel szeretnék beszélni")
            #expect(handoff["conversation_id"] as? Int != nil)
        }
    }
}
