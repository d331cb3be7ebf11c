import ChatModel
import ConfigFile
import Foundation
import Mustache

/// E-mail through SendGrid (`channels.email`): Inbound Parse in, v3 `mail/send` out; enabled when the
/// API key, the sender and the inbound token are set.
public struct EmailModule: ChannelModule {
    public static let channel = Channel.email

    public var apiKey: String
    public var apiBaseURL = "https://api.sendgrid.com"
    /// The secret in the Inbound Parse URL (`?token=`).
    public var inboundToken: String
    /// The largest parse post taken (SendGrid's own limit is about 30 MB).
    public var maxBodyBytes = 30 << 20
    /// The largest single attachment taken; a larger one is refused with 413.
    public var maxAttachmentBytes = 10 << 20
    public var settings: EmailSettings
    /// The signed Event Webhook's public key, when SendGrid reports on our mail (`POST /webhooks/email/events`).
    public var eventSignature: SendGridEventSignature?

    public init(apiKey: String, inboundToken: String, settings: EmailSettings) {
        self.apiKey = apiKey
        self.inboundToken = inboundToken
        self.settings = settings
    }

    public static func read(_ section: ConfigSection, context: ChannelConfigContext) throws(ConfigError) -> EmailModule? {
        try section.allowOnly([
            "api_key", "api_base_url", "from_address", "from_name", "reply_to", "inbound_token", "max_body_bytes",
            "max_attachment_bytes", "layout", "unsubscribe_secret", "event_webhook_public_key",
        ])
        let key = try section.string("api_key") ?? ""
        let from = try section.string("from_address") ?? ""
        let token = try section.string("inbound_token") ?? ""
        if key.isEmpty && from.isEmpty && token.isEmpty { return nil }
        for (name, value) in [("api_key", key), ("from_address", from), ("inbound_token", token)] where value.isEmpty {
            throw section.error(name, "required when the other email settings are set (or unset all to disable email)")
        }
        guard MIMEAddress.isPlausible(from) else { throw section.error("from_address", "expected an address like support@example.hu") }
        let layoutPath = section.resolve(try section.string("layout", default: "templates/email/layout.mustache"))
        let layout: MustacheTemplate
        do {
            layout = try MustacheTemplate(string: try String(contentsOfFile: layoutPath, encoding: .utf8))
        } catch {
            throw section.error("layout", "cannot use \(layoutPath): \(error)")
        }
        var settings = EmailSettings(fromAddress: from, layout: layout)
        settings.fromName = try section.string("from_name").flatMap { $0.isEmpty ? nil : $0 }
        settings.replyTo = try section.string("reply_to").flatMap { $0.isEmpty ? nil : $0 }
        if let replyTo = settings.replyTo, !MIMEAddress.isPlausible(replyTo) {
            throw section.error("reply_to", "expected an address like support@inbound.example.hu")
        }
        settings.publicBaseURL = context.publicBaseURL
        // Unsubscribe links are signed with a secret of their own: a link never tells anything of the inbound token.
        let unsubscribeSecret = try section.string("unsubscribe_secret") ?? ""
        settings.unsubscribeKey = unsubscribeSecret.isEmpty ? EmailUnsubscribe.derivedKey(from: token) : unsubscribeSecret
        var email = EmailModule(apiKey: key, inboundToken: token, settings: settings)
        email.apiBaseURL = try section.httpURL("api_base_url", default: email.apiBaseURL)
        email.maxBodyBytes = try section.int("max_body_bytes", default: 30 << 20, in: 1024...(100 << 20))
        email.maxAttachmentBytes = try section.int("max_attachment_bytes", default: 10 << 20, in: 0...(100 << 20))
        if let publicKey = try section.string("event_webhook_public_key"), !publicKey.isEmpty {
            guard let signature = SendGridEventSignature(publicKey: publicKey) else {
                throw section.error("event_webhook_public_key", "expected the Event Webhook's ECDSA P-256 public key as SendGrid shows it (base64)")
            }
            email.eventSignature = signature
        }
        return email
    }

    public func makeParts(_ environment: ChannelEnvironment) -> ChannelParts {
        ChannelParts(
            intake: SendGridWebhookIntake(
                inboundToken: inboundToken,
                parser: SendGridInboundParse(maxAttachmentBytes: maxAttachmentBytes, ownAddress: settings.fromAddress),
                maxBodyBytes: maxBodyBytes, eventSignature: eventSignature),
            renderer: EmailRenderer(settings: settings),
            sender: SendGridSender(
                client: environment.httpClient, apiBaseURL: apiBaseURL, apiKey: apiKey, timeout: environment.requestTimeout,
                eventsReported: eventSignature != nil),
            policy: environment.policy(), inboundStep: NumberedChoiceStep(),
            endpoints: EmailUnsubscribeEndpoints.make(unsubscribeKey: settings.unsubscribeKey))
    }
}

/// A light check of configured addresses.
enum MIMEAddress {
    static func isPlausible(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !address.contains(" ")
    }
}
