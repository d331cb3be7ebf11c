import Foundation

/// Telegram's webhook intake: `POST /webhooks/telegram`, checked against the secret given to
/// `setWebhook` (`X-Telegram-Bot-Api-Secret-Token`, compared in constant time; docs/channels.md §6.1).
public struct TelegramWebhookIntake: WebhookIntake {
    public let secret: String
    public let webhook: TelegramWebhook
    public let maxBodyBytes: Int

    public init(secret: String, webhook: TelegramWebhook, maxBodyBytes: Int) {
        self.secret = secret
        self.webhook = webhook
        self.maxBodyBytes = maxBodyBytes
    }

    public var routes: [WebhookRoute] { [WebhookRoute(.post)] }

    public func handle(_ request: WebhookRequest) throws(WebhookRejection) -> WebhookIntakeResult {
        guard let token = request.header("X-Telegram-Bot-Api-Secret-Token") else {
            throw .unauthorized("missing_signature", "X-Telegram-Bot-Api-Secret-Token is required")
        }
        guard ConstantTime.equals(token, secret) else {
            throw .unauthorized("invalid_signature", "X-Telegram-Bot-Api-Secret-Token does not match")
        }
        do {
            return .events(try webhook.parse(Data(request.body)), acknowledgement: WebhookReply(body: "OK"))
        } catch {
            throw .malformed(error.reason)
        }
    }
}
