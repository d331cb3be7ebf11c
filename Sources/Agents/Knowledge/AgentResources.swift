import ChatModel
import Foundation

/// Everything the embedded agents read from the templates folder: reply texts, knowledge and offers.
public struct AgentResources: Sendable {
    public var templates: ReplyTemplates
    public var knowledge: [Language: Knowledge]
    public var offers: ShopOffers

    public init(templates: ReplyTemplates, knowledge: [Language: Knowledge], offers: ShopOffers) {
        self.templates = templates
        self.knowledge = knowledge
        self.offers = offers
    }

    /// Loads `directory`: `<language>/*.mustache`, `<language>/knowledge.yml` and `shop.yml`; a knowledge or
    /// offers file present in `overlay` (the demo content) is read from there instead.
    public static func load(directory: String, overlay: String? = nil) async throws -> AgentResources {
        func path(_ file: String) -> String {
            if let overlay, FileManager.default.fileExists(atPath: "\(overlay)/\(file)") { return "\(overlay)/\(file)" }
            return "\(directory)/\(file)"
        }
        let templates = try await ReplyTemplates(directory: directory, required: EmbeddedAgents.templateNames)
        var knowledge: [Language: Knowledge] = [:]
        for language in Language.allCases {
            knowledge[language] = try Knowledge(contentsOf: path("\(language.rawValue)/knowledge.yml"))
        }
        let offers = try ShopOffers(contentsOf: path("shop.yml"))
        return AgentResources(templates: templates, knowledge: knowledge, offers: offers)
    }

    /// The reply text `name` in `language`.
    public func text(_ name: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        templates.text(name, in: language, values)
    }
}
