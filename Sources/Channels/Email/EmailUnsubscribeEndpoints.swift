import ChatModel
import Foundation

/// The one-click unsubscribe link of marketing mail (`/unsubscribe/email?address=…&token=…`): a GET (a
/// click, or a mail scanner following links) shows a page that asks to confirm; only a POST (the mail
/// client's RFC 8058 one-click, or the page's button) records "no more newsletters" for the address.
enum EmailUnsubscribeEndpoints {
    static func make(unsubscribeKey: String) -> [ChannelEndpoint] {
        let unsubscribe = EmailUnsubscribe(key: unsubscribeKey)
        return [
            ChannelEndpoint(.get, EmailUnsubscribe.path, access: .open) { request, _ throws(WebhookRejection) in
                let (address, token) = try link(request, unsubscribe)
                let action = "\(EmailUnsubscribe.path)?address=\(escaped(address))&amp;token=\(escaped(token))"
                return html(
                    "<p>Leiratkozol a hírlevelünkről? / Unsubscribe from our newsletter?</p>"
                        + "<form method=\"post\" action=\"\(action)\"><button type=\"submit\">Leiratkozás / Unsubscribe</button></form>")
            },
            ChannelEndpoint(.post, EmailUnsubscribe.path, access: .open) { request, services throws(WebhookRejection) in
                let (address, _) = try link(request, unsubscribe)
                let participant = ConversationKey(channel: .email, accountID: "", userID: address.lowercased())
                do {
                    _ = try await services.setConsent(participant, .newsletter, false)
                } catch {
                    throw WebhookRejection(
                        status: 503, code: "store_unavailable", message: "the choice could not be recorded; try again later",
                        metric: "store_unavailable")
                }
                if String(decoding: request.body, as: UTF8.self).contains("List-Unsubscribe=One-Click") {
                    return WebhookReply(body: "unsubscribed")
                }
                return html("<p>Leiratkoztál: nem küldünk több hírlevelet. / You are unsubscribed.</p>")
            },
        ]
    }

    /// The link's address and token, when the token signs the address.
    private static func link(_ request: WebhookRequest, _ unsubscribe: EmailUnsubscribe) throws(WebhookRejection) -> (String, String) {
        guard let address = request.query["address"], let token = request.query["token"], unsubscribe.isValid(token: token, for: address) else {
            throw WebhookRejection(status: 403, code: "invalid_link", message: "this unsubscribe link is not valid", metric: "unauthorized")
        }
        return (address, token)
    }

    private static func html(_ content: String) -> WebhookReply {
        WebhookReply(
            contentType: "text/html; charset=utf-8", body: "<!DOCTYPE html><meta charset=\"utf-8\"><title>Leiratkozás</title>" + content)
    }

    /// `value` percent-encoded for a query and safe inside an HTML attribute.
    private static func escaped(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
    }
}
