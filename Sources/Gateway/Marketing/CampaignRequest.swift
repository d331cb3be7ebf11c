import ChatModel
import Foundation
import Storage

/// The body of `POST /api/v1/admin/campaigns`, read and checked; the error names the field at fault.
struct CampaignRequest {
    var name: String
    var audience: CampaignAudience
    var message: CampaignMessage
    var sendAt: Date

    private struct Wire: Decodable {
        var name: String?
        var audience: CampaignAudience?
        var message: CampaignMessage?
        var sendAt: Date?

        enum CodingKeys: String, CodingKey {
            case name, audience, message
            case sendAt = "send_at"
        }
    }

    /// The channels a campaign may name.
    static let channels: Set<String> = ["messenger", "whatsapp", "sms", "email", "telegram", "widget"]

    static func read(_ body: Data, templates: Set<String>, now: Date) throws(APIError) -> CampaignRequest {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let wire: Wire
        do {
            wire = try decoder.decode(Wire.self, from: body)
        } catch {
            throw APIError(
                .badRequest, "invalid_json",
                "expected {\"name\", \"audience\": {\"channels\", \"consent\", \"language\", \"active_after\", \"active_before\", \"category\"}, "
                    + "\"message\": {\"reply\": {\"hu\": {\"text\"}}, \"template\", \"link\"}, \"send_at\"} with ISO 8601 times")
        }
        guard let name = wire.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty, name.count <= 200 else {
            throw invalid("name is required (1 to 200 characters)")
        }
        let audience = wire.audience ?? CampaignAudience()
        if let unknown = audience.channels?.first(where: { !channels.contains($0) }) {
            throw invalid("audience.channels: '\(unknown)' is not one of \(channels.sorted().joined(separator: ", "))")
        }
        if let language = audience.language, Language(rawValue: language) == nil {
            throw invalid("audience.language must be one of \(Language.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let message = wire.message else { throw invalid("message is required") }
        for (language, reply) in message.replies {
            guard Language(rawValue: language) != nil else { throw invalid("message.reply: '\(language)' is not a language (hu, en)") }
            guard reply.text?.isEmpty == false || reply.cards?.isEmpty == false || reply.media != nil else {
                throw invalid("message.reply.\(language) needs a text, cards or media")
            }
        }
        guard !message.replies.isEmpty || message.template != nil else { throw invalid("message needs a reply per language or a template") }
        if let template = message.template, !templates.contains(template.name) {
            throw invalid("message.template: no WhatsApp template named '\(template.name)' (templates/whatsapp/)")
        }
        if let link = message.link, !(link.hasPrefix("https://") || link.hasPrefix("http://")) || link.count > 2000 {
            throw invalid("message.link must be an http(s) URL")
        }
        return CampaignRequest(name: name, audience: audience, message: message, sendAt: wire.sendAt ?? now)
    }

    private init(name: String, audience: CampaignAudience, message: CampaignMessage, sendAt: Date) {
        self.name = name
        self.audience = audience
        self.message = message
        self.sendAt = sendAt
    }

    private static func invalid(_ message: String) -> APIError {
        APIError(.badRequest, "invalid_campaign", message)
    }
}
