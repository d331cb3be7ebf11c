import ChatModel
import Foundation
import Webshop

/// Everything the embedded agents read from the templates folder: reply texts, knowledge and offers.
public struct AgentResources: Sendable {
    public var templates: ReplyTemplates
    public var knowledge: [Language: Knowledge]
    public var offers: ShopOffers
    /// How customers write what the catalog calls otherwise (`search-synonyms.yml`), for the catalog's searches.
    public var searchSynonyms: SearchSynonyms

    public init(templates: ReplyTemplates, knowledge: [Language: Knowledge], offers: ShopOffers, searchSynonyms: SearchSynonyms = .none) {
        self.templates = templates
        self.knowledge = knowledge
        self.offers = offers
        self.searchSynonyms = searchSynonyms
    }

    /// Loads `directory`: `<language>/*.mustache`, `<language>/knowledge.yml`, `shop.yml` and
    /// `search-synonyms.yml`; a knowledge or offers file present in `overlay` (the demo content) is read from
    /// there instead.
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
        let synonyms = try SearchSynonymsFile.load(path: "\(directory)/search-synonyms.yml")
        return AgentResources(templates: templates, knowledge: knowledge, offers: offers, searchSynonyms: synonyms)
    }

    /// The reply text `name` in `language`.
    public func text(_ name: String, _ language: Language, _ values: [String: String] = [:]) -> String {
        templates.text(name, in: language, values)
    }
}
