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
            senderName: email.fromName, subject: email.subject)
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

    /// Records "no more newsletters" for the address of a signed link; a page for a click, 200 for a mail client's one-click POST.
    private func unsubscribe(_ request: Request, page: Bool) async throws -> Response {
        guard let config else { throw APIError.notFound("email is not configured") }
        let query = request.uri.queryParameters
        guard let address = query["address"].map(String.init), let token = query["token"].map(String.init),
            EmailUnsubscribe(key: config.settings.unsubscribeKey).isValid(token: token, for: address)
        else { throw APIError(.forbidden, "invalid_link", "this unsubscribe link is not valid") }
        let participant = ConversationKey(channel: .email, accountID: "", userID: address.lowercased())
        _ = try await store.setConsent(participant, topic: .newsletter, granted: false, at: Date())
        let html = "<!DOCTYPE html><meta charset=\"utf-8\"><title>Leiratkozás</title><p>Leiratkoztál: nem küldünk több hírlevelet. / You are unsubscribed.</p>"
        return Response(
            status: .ok, headers: [.contentType: page ? "text/html; charset=utf-8" : "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: page ? html : "unsubscribed")))
    }
}
