import Channels
import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Storage

/// The operator console's sign-in: `GET`/`POST /console/login`, `GET /console`, `POST /console/logout`.
/// A session is a random token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` behind https), stored
/// server-side only as its hash, with a CSRF token every console form carries.
struct ConsoleRoutes {
    let store: any Store
    let sessions: ConsoleSessions
    let accounts: OperatorAccounts
    let throttle: LoginThrottle
    let proxies: TrustedProxies
    /// Whether the cookie may only travel over https (the public address is https).
    let secureCookie: Bool
    let login: MustacheTemplate
    let home: MustacheTemplate
    let stylesheet: String
    let script: String

    /// Loads `login.mustache` and `home.mustache` from `templates` and `console.css` from `staticDirectory`.
    init(store: any Store, templates: String, staticDirectory: String, publicBaseURL: String, proxies: TrustedProxies) throws {
        self.store = store
        self.sessions = ConsoleSessions(store: store)
        self.accounts = OperatorAccounts(store: store)
        self.throttle = LoginThrottle()
        self.proxies = proxies
        self.secureCookie = publicBaseURL.hasPrefix("https://")
        self.login = try MustacheTemplate(string: String(contentsOfFile: "\(templates)/login.mustache", encoding: .utf8))
        self.home = try MustacheTemplate(string: String(contentsOfFile: "\(templates)/home.mustache", encoding: .utf8))
        self.stylesheet = (try? String(contentsOfFile: "\(staticDirectory)/console/console.css", encoding: .utf8)) ?? ""
        self.script = (try? String(contentsOfFile: "\(staticDirectory)/console/console.js", encoding: .utf8)) ?? ""
    }

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/console/login") { _, _ in page(login, [:]) }
        router.post("/console/login") { request, context in try await signIn(request, context: context) }
        router.get("/console") { request, _ in
            guard let session = try await sessions.session(request) else { return Self.redirect("/console/login") }
            return page(home, [
                "name": session.account.name, "role": session.account.role.rawValue, "csrf_token": session.csrfToken,
                "operator_id": session.account.id.rawValue, "is_admin": session.account.role == .admin,
            ])
        }
        router.post("/console/logout") { request, _ in
            guard let token = request.cookies[ConsoleSessions.cookieName]?.value, let session = try await sessions.session(request) else {
                return Self.redirect("/console/login")
            }
            let form = try await Self.form(request)
            guard ConstantTime.equals(form["csrf_token"] ?? "", session.csrfToken) else {
                throw APIError(.forbidden, "invalid_csrf", "the form's CSRF token is missing or wrong")
            }
            try await store.endSession(tokenHash: ConsoleSessions.hash(token), at: Date())
            try await store.audit(.logout, by: session.account.email, conversationID: nil, detail: nil, at: Date())
            var response = Self.redirect("/console/login")
            response.setCookie(Cookie(name: ConsoleSessions.cookieName, value: "", maxAge: 0, path: "/", secure: secureCookie, httpOnly: true, sameSite: .lax))
            return response
        }
        router.get("/console/console.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: stylesheet)))
        }
        router.get("/console/console.js") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/javascript; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: script)))
        }
    }

    private func signIn(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        let form = try await Self.form(request)
        let email = (form["email"] ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        let keys = ["account:\(email)", "address:\(proxies.client(peer: context.remoteAddress, headers: request.headers))"]
        guard !throttle.isLocked(keys) else {
            return page(login, ["email": email, "error": "Túl sok sikertelen próbálkozás; próbáld újra később. / Too many failed attempts; try again later."],
                status: .tooManyRequests)
        }
        guard let account = try await accounts.verify(email: email, password: form["password"] ?? "") else {
            throttle.fail(keys)
            return page(login, ["email": email, "error": "Hibás e-mail-cím vagy jelszó. / Wrong e-mail or password."], status: .unauthorized)
        }
        let token = ConsoleSessions.randomToken()
        let now = Date()
        try await store.startSession(
            tokenHash: ConsoleSessions.hash(token), operatorID: account.id, csrfToken: ConsoleSessions.randomToken(),
            expiresAt: now.addingTimeInterval(ConsoleSessions.lifetime), at: now)
        try await store.audit(.login, by: account.email, conversationID: nil, detail: nil, at: now)
        var response = Self.redirect("/console")
        response.setCookie(Cookie(
            name: ConsoleSessions.cookieName, value: token, maxAge: Int(ConsoleSessions.lifetime), path: "/", secure: secureCookie, httpOnly: true,
            sameSite: .lax))
        return response
    }

    private func page(_ template: MustacheTemplate, _ values: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: template.render(values))))
    }

    private static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }

    /// The url-encoded form of a console POST (at most 8 KiB).
    private static func form(_ request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 8192)
        var fields: [String: String] = [:]
        for (name, value) in FormEncoding.decode(String(buffer: body)) where fields[name] == nil { fields[name] = value }
        return fields
    }
}
