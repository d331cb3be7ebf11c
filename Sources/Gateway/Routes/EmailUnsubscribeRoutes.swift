import Channels
import ChatModel
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// The one-click unsubscribe link of marketing mail: a signed address, confirmed on a page or posted by
/// the mail client.
struct EmailUnsubscribeRoutes {
    let config: GatewayConfig.Email?
    let store: any Store

    func add(to router: Router<GatewayRequestContext>) {
        router.get("\(EmailUnsubscribe.path)") { request, _ in try await unsubscribe(request, page: true) }
        router.post("\(EmailUnsubscribe.path)") { request, _ in try await unsubscribe(request, page: false) }
    }

    /// A signed unsubscribe link: a GET (a click, or a mail scanner following links) shows a page that asks
    /// to confirm; only a POST (the mail client's RFC 8058 one-click, or the page's button) records "no more
    /// newsletters" for the address.
    private func unsubscribe(_ request: Request, page: Bool) async throws -> Response {
        guard let config else { throw APIError.notFound("email is not configured") }
        let query = request.uri.queryParameters
        guard let address = query["address"].map(String.init), let token = query["token"].map(String.init),
            EmailUnsubscribe(key: config.settings.unsubscribeKey).isValid(token: token, for: address)
        else { throw APIError(.forbidden, "invalid_link", "this unsubscribe link is not valid") }
        if page {
            let action = "\(EmailUnsubscribe.path)?address=\(Self.escaped(address))&amp;token=\(Self.escaped(token))"
            return Self.html(
                "<p>Leiratkozol a hírlevelünkről? / Unsubscribe from our newsletter?</p>"
                    + "<form method=\"post\" action=\"\(action)\"><button type=\"submit\">Leiratkozás / Unsubscribe</button></form>")
        }
        let participant = ConversationKey(channel: .email, accountID: "", userID: address.lowercased())
        _ = try await store.setConsent(participant, topic: .newsletter, granted: false, at: Date())
        let body = try await request.body.collect(upTo: 4096)
        if String(buffer: body).contains("List-Unsubscribe=One-Click") {
            return Response(
                status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "unsubscribed")))
        }
        return Self.html("<p>Leiratkoztál: nem küldünk több hírlevelet. / You are unsubscribed.</p>")
    }

    private static func html(_ content: String) -> Response {
        let page = "<!DOCTYPE html><meta charset=\"utf-8\"><title>Leiratkozás</title>" + content
        return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    /// `value` percent-encoded for a query and safe inside an HTML attribute.
    private static func escaped(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}
