import Foundation
import Gateway
import Storage
import TestSupport
import Testing

@Suite("Console sign-in: sessions, throttling, CSRF")
struct ConsoleLoginTests {
    static let password = "correct horse battery"

    /// A gateway with one operator account.
    static func run(engine: TestDatabase = .sqlite, publicURL: String? = nil, _ body: (GatewayHarness) async throws -> Void) async throws {
        let databaseURL = try await engine.makeURL()
        try await Gateway.withStore(url: databaseURL, logger: TestDatabase.logger) { store in
            _ = try await OperatorAccounts(store: store, cost: 4).add(email: "anna@bolt.example.hu", name: "Anna", role: .admin, password: password)
        }
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            if let publicURL { config.server.publicBaseURL = publicURL }
            try await GatewayHarness.run(config: config, upstream: upstream, body)
        }
    }

    static func signIn(_ gateway: GatewayHarness, _ email: String, _ password: String, from address: String? = nil) async throws -> GatewayHarness.Answer {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let address { headers.append(("X-Forwarded-For", address)) }
        let form = "email=\(email.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)&password=\(password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        return try await gateway.request(.POST, "/console/login", headers: headers, body: Data(form.utf8))
    }

    /// The `name=value` of the session cookie a response set.
    static func cookie(_ answer: GatewayHarness.Answer) -> String? {
        answer.headers["Set-Cookie"].first?.split(separator: ";").first.map(String.init)
    }

    @Test("a right password answers 303 with an HttpOnly SameSite=Lax cookie; the console then opens, logout ends it", arguments: TestDatabase.engines)
    func signInAndOut(engine: TestDatabase) async throws {
        try await Self.run(engine: engine) { gateway in
            let anonymous = try await gateway.request(.GET, "/console")
            #expect(anonymous.status == 303 && anonymous.headers.first(name: "Location") == "/console/login")
            let form = try await gateway.request(.GET, "/console/login")
            #expect(form.status == 200 && form.body.contains(#"action="/console/login""#))

            let answer = try await Self.signIn(gateway, "Anna@bolt.example.hu", Self.password)
            #expect(answer.status == 303 && answer.headers.first(name: "Location") == "/console")
            let setCookie = try #require(answer.headers.first(name: "Set-Cookie"))
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Lax") && !setCookie.contains("Secure"))
            let cookie = try #require(Self.cookie(answer))
            let console = try await gateway.request(.GET, "/console", headers: [("Cookie", cookie)])
            #expect(console.status == 200 && console.body.contains("Anna"))
            let csrf = try #require(console.body.firstMatch(of: /name="csrf_token" value="([^"]+)"/)?.1)

            let forged = try await gateway.request(
                .POST, "/console/logout", headers: [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("csrf_token=forged".utf8))
            #expect(forged.status == 403 && forged.errorCode == "invalid_csrf")
            #expect(try await gateway.request(.GET, "/console", headers: [("Cookie", cookie)]).status == 200, "a forged logout ends nothing")
            let out = try await gateway.request(
                .POST, "/console/logout", headers: [("Cookie", cookie), ("Content-Type", "application/x-www-form-urlencoded")],
                body: Data("csrf_token=\(csrf)".utf8))
            #expect(out.status == 303)
            #expect(try await gateway.request(.GET, "/console", headers: [("Cookie", cookie)]).status == 303, "the session is gone")
            let audit = try await gateway.admin("/audit-log").json["items"] as? [NSDictionary] ?? []
            #expect(audit.map { "\($0["actor"] ?? "") \($0["action"] ?? "")" } == ["anna@bolt.example.hu logout", "anna@bolt.example.hu login"])
        }
    }

    @Test("a wrong password is 401 with the form and no cookie; the sixth try within 15 minutes is 429 even when right")
    func throttling() async throws {
        try await Self.run { gateway in
            for _ in 0..<5 {
                let wrong = try await Self.signIn(gateway, "anna@bolt.example.hu", "not the password!")
                #expect(wrong.status == 401 && wrong.body.contains(#"action="/console/login""#))
                #expect(wrong.headers.first(name: "Set-Cookie") == nil)
            }
            let locked = try await Self.signIn(gateway, "anna@bolt.example.hu", Self.password)
            #expect(locked.status == 429 && locked.headers.first(name: "Set-Cookie") == nil)
            let unknown = try await Self.signIn(gateway, "nobody@bolt.example.hu", Self.password)
            #expect(unknown.status == 429, "the client address is locked out too")
        }
    }

    @Test("behind https the session cookie is Secure")
    func secureCookie() async throws {
        try await Self.run(publicURL: "https://chat.example.hu") { gateway in
            let answer = try await Self.signIn(gateway, "anna@bolt.example.hu", Self.password)
            #expect(answer.headers.first(name: "Set-Cookie")?.contains("Secure") == true)
        }
    }
}
