import AsyncHTTPClient
import HTTPCall
import Foundation
import NIOCore

/// The UNAS shop API (docs/channels.md §5): one login whose token is reused for its lifetime, orders by
/// key or email, products by sku; `<Error>` answers become `UNASError`s, and an IP ban stops all calls
/// until it ends instead of extending it.
public actor UNASClient {
    /// How long a token lives when UNAS does not say (its documentation: two hours).
    static let tokenLifetime: TimeInterval = 2 * 3600
    /// A token is renewed this long before it expires.
    static let renewalMargin: TimeInterval = 60
    /// How long to keep away after a ban whose end UNAS did not state.
    static let defaultBan: TimeInterval = 3600

    private let baseURL: String
    private let apiKey: String
    private let client: HTTPClient
    private let timeout: TimeAmount
    private var token: (value: String, expires: Date)?
    private var pendingLogin: Task<String, any Error>?
    private var bannedUntil: Date?
    /// Logins made so far.
    public private(set) var logins = 0

    /// A client of the API at `baseURL` (`https://api.unas.eu/shop`) with the shop's API key.
    public init(baseURL: String, apiKey: String, client: HTTPClient = .shared, timeout: Duration = .seconds(20)) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.client = client
        self.timeout = TimeAmount(timeout)
    }

    /// The order with this key (`1000-1000000`), if the shop has it.
    public func order(key: String) async throws(UNASError) -> Order? {
        try await orders([("Key", key)]).first
    }

    /// The orders placed with this email address, newest as UNAS lists them.
    public func orders(email: String) async throws(UNASError) -> [Order] {
        try await orders([("Email", email)])
    }

    /// The product with this sku, as the feed import reads it.
    public func product(sku: String) async throws(UNASError) -> Product? {
        let answer = try await call("getProduct", [("Sku", sku), ("ContentType", "full")])
        return try parse(answer) { root in
            root.children("Product").lazy.compactMap(UNASProductMapping.entry).compactMap(\.product).first
        }
    }

    private func orders(_ params: [(String, String)]) async throws(UNASError) -> [Order] {
        let answer = try await call("getOrder", params)
        return try parse(answer) { root in root.children("Order").compactMap(UNASOrderMapping.order) }
    }

    // MARK: Calls

    /// POSTs `function` with the token; logs in again once when UNAS refuses the token.
    private func call(_ function: String, _ params: [(String, String)]) async throws(UNASError) -> [UInt8] {
        try checkBan()
        let body = UNASXML.params(params)
        var token = try await validToken()
        for attempt in 0..<2 {
            let (status, answer) = try await post(function, body: body, bearer: token)
            let error = Self.errorMessage(answer)
            if status == 200 && error == nil { return answer }
            if let error, Self.isBan(error) { throw recordBan(error) }
            let tokenRefused = status == 401 || error.map { $0.lowercased().contains("token") } == true
            if tokenRefused && attempt == 0 {
                self.token = nil
                token = try await validToken()
                continue
            }
            if status == 429 || status >= 500 { throw .unavailable("\(function) answered \(status)") }
            throw .api(error ?? "\(function) answered \(status)")
        }
        throw .api("\(function): the token was refused twice")
    }

    /// A token that lives long enough; concurrent callers share one login.
    private func validToken() async throws(UNASError) -> String {
        if let token, token.expires.timeIntervalSinceNow > Self.renewalMargin { return token.value }
        let login = pendingLogin ?? Task { try await self.login() }
        pendingLogin = login
        defer { pendingLogin = nil }
        do {
            return try await login.value
        } catch let error as UNASError {
            throw error
        } catch {
            throw .unavailable("\(error)")
        }
    }

    private func login() async throws(UNASError) -> String {
        try checkBan()
        logins += 1
        let (status, answer) = try await post("login", body: UNASXML.params([("ApiKey", apiKey)]), bearer: nil)
        if let error = Self.errorMessage(answer) {
            if Self.isBan(error) { throw recordBan(error) }
            throw .loginFailed(error)
        }
        guard status == 200 else {
            throw status == 429 || status >= 500 ? .unavailable("login answered \(status)") : .loginFailed("login answered \(status)")
        }
        let (value, expire) = try parse(answer) { root in (root.text("Token"), root.text("Expire")) }
        guard let value else { throw .loginFailed("the answer has no Token") }
        let latest = Date().addingTimeInterval(Self.tokenLifetime)
        let expires = expire.flatMap { UNASDate.parse($0) }.map { min($0, latest) } ?? latest
        token = (value, expires)
        return value
    }

    private func post(_ function: String, body: String, bearer: String?) async throws(UNASError) -> (Int, [UInt8]) {
        var request = HTTPClientRequest(url: "\(baseURL)/\(function)")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/xml; charset=UTF-8")
        if let bearer { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        request.body = .bytes(ByteBuffer(string: body))
        do {
            let answer = try await client.call(request, deadline: .nanoseconds(timeout.nanoseconds), maxBodyBytes: 64 << 20)
            return (Int(answer.status.code), Array(answer.body.readableBytesView))
        } catch {
            throw .unavailable("\(function): \(error)")
        }
    }

    // MARK: Errors and bans

    private func checkBan() throws(UNASError) {
        guard let bannedUntil else { return }
        if bannedUntil > Date() { throw .ipBanned(until: bannedUntil) }
        self.bannedUntil = nil
    }

    private func recordBan(_ message: String) -> UNASError {
        let until = Self.banEnd(message) ?? Date().addingTimeInterval(Self.defaultBan)
        bannedUntil = until
        return .ipBanned(until: until)
    }

    private func parse<T>(_ answer: [UInt8], _ body: (XMLElementView) throws -> T) throws(UNASError) -> T {
        do {
            return try UNASXML.withRoot(answer, body)
        } catch let error as UNASError {
            throw error
        } catch {
            throw .malformedAnswer
        }
    }

    /// The text of an `<Error>` answer.
    static func errorMessage(_ answer: [UInt8]) -> String? {
        (try? UNASXML.withRoot(answer) { root in root.isNamed("Error") ? root.text : nil }) ?? nil
    }

    static func isBan(_ message: String) -> Bool {
        message.lowercased().contains("banned")
    }

    /// The end of a ban as UNAS words it: `… IP is banned till 02.28.2022 10:00:00` (month first).
    static func banEnd(_ message: String) -> Date? {
        guard let range = message.range(of: "till ") else { return nil }
        let parts = message[range.upperBound...].split(separator: " ")
        guard let day = parts.first else { return nil }
        let numbers = day.split(separator: ".").compactMap { Int($0) }
        guard numbers.count == 3 else { return nil }
        let (month, date) = numbers[0] > 12 ? (numbers[1], numbers[0]) : (numbers[0], numbers[1])
        let time = parts.count > 1 ? String(parts[1]) : "00:00:00"
        return UNASDate.parse(String(format: "%04d.%02d.%02d ", numbers[2], month, date) + time)
    }
}
