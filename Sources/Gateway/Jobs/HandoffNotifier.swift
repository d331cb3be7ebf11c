import AsyncHTTPClient
import Channels
import Foundation
import HTTPCall
import NIOCore
import NIOHTTP1
import Storage

/// Tells the shop's people that a customer asked for a person: a POST to an incoming webhook (Slack,
/// Teams, or any JSON receiver) and an e-mail through the e-mail channel, each a job stored with the
/// hand-off, so it is retried until it gets through and survives a restart.
struct HandoffNotifier: JobHandler {
    static let webhookKind = "notify_webhook"
    static let emailKind = "notify_email"

    /// What a notification job keeps: the conversation and the customer's words.
    struct Payload: Codable {
        var conversationID: ConversationID
        var reason: String

        enum CodingKeys: String, CodingKey {
            case reason
            case conversationID = "conversation_id"
        }
    }

    /// The body of the webhook POST (`text` is what Slack and Teams show).
    struct WebhookBody: Encodable {
        var text: String
        var conversationID: ConversationID
        var channel: String
        var customer: String
        var reason: String
        var consoleURL: String

        enum CodingKeys: String, CodingKey {
            case text, channel, customer, reason
            case conversationID = "conversation_id"
            case consoleURL = "console_url"
        }
    }

    let webhookURL: String?
    let email: String?
    let publicBaseURL: String
    let store: any Store
    let httpClient: HTTPClient
    let emailRenderer: EmailRenderer?
    let emailSender: (any ChannelSender)?
    let timeout: Duration

    var kinds: [String] { [Self.webhookKind, Self.emailKind] }

    /// The jobs that announce a hand-off, one for each configured target.
    func jobs(conversationID: ConversationID, reason: String, at date: Date) -> [JobDraft] {
        guard let data = try? JSONEncoder().encode(Payload(conversationID: conversationID, reason: reason)) else { return [] }
        let payload = String(decoding: data, as: UTF8.self)
        var jobs: [JobDraft] = []
        if webhookURL != nil { jobs.append(JobDraft(kind: Self.webhookKind, payload: payload, runAt: date)) }
        if email != nil, emailSender != nil { jobs.append(JobDraft(kind: Self.emailKind, payload: payload, runAt: date)) }
        return jobs
    }

    func run(_ job: JobRecord, now: Date) async -> JobResult {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else {
            return .failed("unreadable payload")
        }
        let detail: ConversationDetail?
        do {
            detail = try await store.conversationDetail(id: payload.conversationID)
        } catch {
            return .retry("store: \(error)")
        }
        guard let conversation = detail?.conversation else { return .failed("no conversation \(payload.conversationID)") }
        let customer = conversation.displayName ?? conversation.userID
        let consoleURL = "\(publicBaseURL)/console?conversation=\(conversation.id)"
        let text = "A customer asks for a person / Ügyfél kér segítséget: \(customer) (\(conversation.channel)): “\(payload.reason)” \(consoleURL)"
        switch job.kind {
        case Self.webhookKind:
            guard let webhookURL else { return .failed("operators.notify.webhook_url is not set") }
            let body = WebhookBody(
                text: text, conversationID: conversation.id, channel: conversation.channel, customer: customer, reason: payload.reason,
                consoleURL: consoleURL)
            return await post(body, to: webhookURL)
        case Self.emailKind:
            guard let email, let emailSender, let emailRenderer,
                let mail = emailRenderer.notice(to: email, subject: "Ügyfél kér segítséget / A customer asks for a person: \(customer)", text: text)
            else { return .failed("operators.notify.email needs the e-mail channel") }
            switch await emailSender.send(payload: mail, account: "", recipient: email, idempotencyKey: "notify:\(job.id)") {
            case .sent: return .done
            case .retry(let reason, _): return .retry(reason)
            case .rejected(let reason), .needsTemplate(let reason), .optedOut(let reason), .held(let reason): return .failed(reason)
            }
        default:
            return .failed("not a notification job")
        }
    }

    private func post(_ body: WebhookBody, to url: String) async -> JobResult {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        guard let data = try? JSONEncoder().encode(body) else { return .failed("unencodable body") }
        request.body = .bytes(ByteBuffer(bytes: data))
        do {
            let answer = try await httpClient.call(request, deadline: timeout, maxBodyBytes: 1 << 16)
            switch answer.status.code {
            case 200..<300: return .done
            case 408, 429, 500...: return .retry("webhook answered \(answer.status.code)")
            default: return .failed("webhook answered \(answer.status.code)")
            }
        } catch {
            return .retry("webhook unreachable: \(type(of: error))")
        }
    }
}
