import ChatModel
import Foundation

/// One channel's webhook intake: what it answers at `/webhooks/<channel>[/<subpath>]`, how it checks a
/// request is the platform's, and the events it reads from the body. The gateway serves every channel's
/// intake through one route, stores the events, and only then sends the acknowledgement.
public protocol WebhookIntake: Sendable {
    /// The requests served: method and the path under `/webhooks/<channel>`.
    var routes: [WebhookRoute] { get }
    /// The largest body read; a longer one is answered 413 unread.
    var maxBodyBytes: Int { get }
    /// Verifies the request and reads it: events to store and the acknowledgement, or a direct answer.
    func handle(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookIntakeResult
}

/// A method and subpath an intake serves.
public struct WebhookRoute: Sendable, Hashable {
    public enum Method: String, Sendable, Hashable {
        case get = "GET"
        case post = "POST"
    }

    public var method: Method
    /// The path below `/webhooks/<channel>`, empty for the channel's own address.
    public var subpath: String

    public init(_ method: Method, _ subpath: String = "") {
        self.method = method
        self.subpath = subpath
    }
}

/// One webhook request as the intake sees it.
public struct WebhookRequest: Sendable {
    public var route: WebhookRoute
    /// The address the platform called, as it signs it: the public base URL, the path and the query.
    public var publicURL: String
    public var query: [String: String]
    /// The request's headers by lower-cased name (the first of each).
    public var headers: [String: String]
    public var body: [UInt8]

    public init(route: WebhookRoute, publicURL: String, query: [String: String], headers: [String: String], body: [UInt8]) {
        self.route = route
        self.publicURL = publicURL
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The header `name` (any case).
    public func header(_ name: String) -> String? {
        headers[name.lowercased()]
    }
}

/// An answer to the platform: status, content type and body.
public struct WebhookReply: Sendable, Hashable {
    public var status: Int
    public var contentType: String
    public var body: String

    public init(status: Int = 200, contentType: String = "text/plain; charset=utf-8", body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// What an intake made of a verified request.
public enum WebhookIntakeResult: Sendable {
    /// Events to store (and event kinds ignored, counted by name); `acknowledgement` is sent once they are stored.
    case events(WebhookBatch, acknowledgement: WebhookReply)
    /// An answer with nothing to store (a verification handshake, an automatic e-mail).
    case reply(WebhookReply, ignored: [String] = [])
}

/// A request the intake refuses: the status, the error code and message of the error frame, and the
/// result counted in the webhook metric.
public struct WebhookRejection: Error, Sendable, Hashable {
    public var status: Int
    public var code: String
    public var message: String
    /// `unauthorized`, `malformed`, `too_large`, … (the metric's `result` label).
    public var metric: String

    public init(status: Int, code: String, message: String, metric: String) {
        self.status = status
        self.code = code
        self.message = message
        self.metric = metric
    }

    /// 401 with `code`: the request is not the platform's.
    public static func unauthorized(_ code: String, _ message: String) -> WebhookRejection {
        WebhookRejection(status: 401, code: code, message: message, metric: "unauthorized")
    }

    /// 400 `malformed_body`: a verified body the intake cannot read.
    public static func malformed(_ reason: String) -> WebhookRejection {
        WebhookRejection(status: 400, code: "malformed_body", message: reason, metric: "malformed")
    }
}
