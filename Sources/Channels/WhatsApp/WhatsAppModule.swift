import ChatModel
import ConfigFile
import Foundation

/// WhatsApp Business through the Cloud API (`channels.whatsapp`): enabled when its secrets and at least
/// one business number are set.
public struct WhatsAppModule: ChannelModule {
    public static let channel = Channel.whatsapp

    public var verifyToken: String
    public var appSecret: String
    public var accessToken: String
    /// The business numbers (`phone_number_id`) this gateway answers for.
    public var phoneNumberIDs: [String]
    public var graphBaseURL = "https://graph.facebook.com/v25.0"
    public var maxBodyBytes = 1 << 20
    public var profile = ChannelProfile.whatsapp
    /// Approved templates by the name agents and operators use (`templates/whatsapp/*.yml`).
    public var templates = WhatsAppTemplates()
    /// A template of `templates` sent in place of a free-form reply outside the 24-hour window.
    public var reengagementTemplate: String?
    /// Mark the customer's message as read before answering.
    public var markAsRead = true
    /// Cards also sent as image messages, at most.
    public var imageCards = 3
    /// Sends per second per number.
    public var messagesPerSecond = 80
    /// Footer of interactive messages.
    public var footer: String?
    /// The Meta catalog holding the shop's skus; when set, cards go as its product carousel.
    public var catalogID: String?
    /// The server's external address, for relative image and page links.
    public var publicBaseURL = ""

    public init(verifyToken: String, appSecret: String, accessToken: String, phoneNumberIDs: [String]) {
        self.verifyToken = verifyToken
        self.appSecret = appSecret
        self.accessToken = accessToken
        self.phoneNumberIDs = phoneNumberIDs
    }

    public static func read(_ section: ConfigSection, context: ChannelConfigContext) throws(ConfigError) -> WhatsAppModule? {
        try section.allowOnly([
            "verify_token", "app_secret", "access_token", "phone_number_ids", "graph_base_url", "max_body_bytes", "profile",
            "templates", "reengagement_template", "mark_as_read", "image_cards", "messages_per_second", "footer", "catalog_id",
        ])
        let secrets = ["verify_token", "app_secret", "access_token"]
        var values: [String: String] = [:]
        for key in secrets { values[key] = try section.string(key) ?? "" }
        let numbers = (try section.strings("phone_number_ids") ?? []).filter { !$0.isEmpty }
        if values.values.allSatisfy(\.isEmpty) && numbers.isEmpty { return nil }
        for key in secrets where values[key, default: ""].isEmpty {
            throw section.error(key, "required when the other WhatsApp settings are set (or unset all to disable WhatsApp)")
        }
        guard !numbers.isEmpty else { throw section.error("phone_number_ids", "at least one phone number id is required") }
        var whatsapp = WhatsAppModule(
            verifyToken: values["verify_token"]!, appSecret: values["app_secret"]!, accessToken: values["access_token"]!,
            phoneNumberIDs: numbers)
        whatsapp.publicBaseURL = context.publicBaseURL
        whatsapp.graphBaseURL = try section.httpURL("graph_base_url", default: whatsapp.graphBaseURL)
        whatsapp.maxBodyBytes = try section.int("max_body_bytes", default: 1 << 20, in: 1024...(64 << 20))
        if let profile = try section.string("profile") {
            whatsapp.profile = try ChannelProfile.read(section.readFile(profile))
        }
        if let templates = try section.string("templates"), !templates.isEmpty {
            whatsapp.templates = try WhatsAppTemplates.read(folder: section.resolve(templates), reading: section)
        }
        if let name = try section.string("reengagement_template"), !name.isEmpty {
            guard let template = whatsapp.templates.byName[name] else {
                throw section.error("reengagement_template", "no template named \(name) in the templates folder")
            }
            guard template.bodyParameters == 0 else {
                throw section.error("reengagement_template", "the re-engagement template must take no body parameters")
            }
            whatsapp.reengagementTemplate = name
        }
        whatsapp.markAsRead = try section.bool("mark_as_read", default: true)
        whatsapp.imageCards = try section.int("image_cards", default: 3, in: 0...10)
        whatsapp.messagesPerSecond = try section.int("messages_per_second", default: 80, in: 1...1000)
        if let footer = try section.string("footer"), !footer.isEmpty {
            guard footer.count <= 60 else { throw section.error("footer", "at most 60 characters (WhatsApp's footer limit)") }
            whatsapp.footer = footer
        }
        if let catalog = try section.string("catalog_id"), !catalog.isEmpty { whatsapp.catalogID = catalog }
        return whatsapp
    }

    public func makeParts(_ environment: ChannelEnvironment) -> ChannelParts {
        let sender = WhatsAppSender(
            client: environment.httpClient, graphBaseURL: graphBaseURL, accessToken: accessToken, timeout: environment.requestTimeout,
            messagesPerSecond: messagesPerSecond, templates: templates, reengagementTemplate: reengagementTemplate)
        var settings = WhatsAppRenderer.Settings()
        settings.markAsRead = markAsRead
        settings.imageCards = imageCards
        settings.footer = footer
        settings.catalogID = catalogID
        settings.publicBaseURL = publicBaseURL.isEmpty ? environment.publicBaseURL : publicBaseURL
        settings.templates = templates
        var policy = environment.policy(windowHours: profile.serviceWindowHours)
        policy.templatesAfterWindow = profile.supportsTemplates
        policy.reengagement = { sender.reengagementPayload(recipient: $0) }
        let numbers = Set(phoneNumberIDs)
        let intake = MetaWebhookIntake(
            verifyToken: verifyToken, appSecret: appSecret, maxBodyBytes: maxBodyBytes,
            parse: { body throws(MalformedWebhookBody) in
                var batch = try WhatsAppWebhook().parse(Data(body))
                // Only the configured numbers are answered; others are acknowledged and counted.
                let others = batch.events.filter { !numbers.contains($0.conversation.accountID) }.count
                batch.events.removeAll { !numbers.contains($0.conversation.accountID) }
                batch.ignored += Array(repeating: "unknown_number", count: others)
                return batch
            })
        let media = WhatsAppMedia(
            client: environment.httpClient, graphBaseURL: graphBaseURL, accessToken: accessToken, timeout: environment.requestTimeout)
        return ChannelParts(
            intake: intake, renderer: WhatsAppRenderer(profile: profile, settings: settings), sender: sender, policy: policy,
            endpoints: [media.endpoint])
    }
}

extension WhatsAppTemplates {
    /// Reads a folder of approved templates (`templates/whatsapp/*.yml`), each file one template named by the file.
    public static func read(folder: String, reading configuration: ConfigSection) throws(ConfigError) -> WhatsAppTemplates {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yml") }.sorted()
        var templates = WhatsAppTemplates()
        for file in files {
            let root = try configuration.readFile((folder as NSString).appendingPathComponent(file))
            try root.allowOnly(["approved_name", "language", "body_parameters", "buttons"])
            let template = WhatsAppTemplates.Template(
                approvedName: try root.requiredString("approved_name"), language: try root.requiredString("language"),
                bodyParameters: try root.int("body_parameters", default: 0, in: 0...20),
                buttonPayloads: try root.strings("buttons") ?? [])
            templates.byName[String(file.dropLast(".yml".count))] = template
        }
        return templates
    }
}
