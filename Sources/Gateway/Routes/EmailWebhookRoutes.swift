import Channels
import ChatModel
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// `POST /webhooks/email?token=…` (SendGrid Inbound Parse, stored before it is acknowledged) and the
/// one-click unsubscribe link of marketing mail.
struct EmailWebhookRoutes {
    let config: GatewayConfig.Email?
    let inbox: Inbox
    let store: any Store
    let metrics: GatewayMetrics

    func add(to router: Router<GatewayRequestContext>) {
        router.post("/webhooks/email") { request, context in try await receive(request, context: context) }
        router.get("\(EmailUnsubscribe.path)") { request, _ in try await unsubscribe(request, page: true) }
        router.post("\(EmailUnsubscribe.path)") { request, _ in try await unsubscribe(request, page: false) }
    }

    private func receive(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        guard let config else { throw APIError.notFound("email is not configured") }
        guard let token = request.uri.queryParameters["token"].map(String.init), ConstantTime.equals(token, config.inboundToken) else {
            metrics.webhook(.email, result: "unauthorized")
            throw APIError(.unauthorized, "invalid_token", "the token in the Inbound Parse URL is missing or wrong")
        }
        let body = try await request.webhookBody(upTo: config.maxBodyBytes, channel: .email, metrics: metrics)
        let email: InboundEmail
        do {
            email = try SendGridInboundParse(maxAttachmentBytes: config.maxAttachmentBytes, ownAddress: config.settings.fromAddress)
                .parse(Array(body.readableBytesView), contentType: request.headers[.contentType])
        } catch .attachmentTooLarge(let name, let bytes, let limit) {
            metrics.webhook(.email, result: "too_large")
            throw APIError(.contentTooLarge, "attachment_too_large", "attachment \(name) has \(bytes) bytes; at most \(limit) are taken")
        } catch .malformed(let reason) {
            metrics.webhook(.email, result: "malformed")
            throw APIError(.badRequest, "malformed_body", reason)
        }
        if email.isAutomatic {
            // Answering an out-of-office reply, a bounce or our own mail could start a mail loop.
            metrics.ignoredEvent(.email, kind: "automatic")
            context.logger.info("automatic email acknowledged and not answered")
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "OK")))
        }
        let words = EmailReplyText.newText(email.text)
        let thread = EmailThreading.thread(of: email)
        let event = InboundEvent(
            conversation: ConversationKey(channel: .email, accountID: thread, userID: email.from),
            platformID: email.messageID ?? thread, timestamp: Date(),
            content: email.attachments.isEmpty ? .text(words) : .attachments(email.attachments, caption: words.isEmpty ? nil : words),
            senderName: email.fromName, subject: email.subject, senderUnverified: email.failsAuthentication ? true : nil)
        if email.failsAuthentication {
            context.logger.notice("email failed SPF and DKIM; it is answered without order details")
        }
        do {
            let outcome = try await inbox.accept([event], channel: .email)
            metrics.webhook(.email, result: outcome.stored == 0 && outcome.duplicates > 0 ? "duplicate" : "accepted")
        } catch {
            metrics.webhook(.email, result: "store_unavailable")
            context.logger.error("cannot store an inbound email", metadata: ["error": "\(error)"])
            throw APIError(.serviceUnavailable, "store_unavailable", "the email could not be stored; retry later")
        }
        return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: "OK")))
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
