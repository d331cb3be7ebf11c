import ChatModel
import Foundation
import Mustache

/// The Mustache reply texts of each language, loaded from `templates/<language>/*.mustache`.
public struct ReplyTemplates: Sendable {
    /// A template the agents need that a language folder lacks.
    public struct MissingTemplate: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "\(path): template missing" }
    }

    private let libraries: [Language: MustacheLibrary]

    private init(libraries: [Language: MustacheLibrary]) {
        self.libraries = libraries
    }

    /// No templates: every text renders empty (for evaluating routing alone).
    public static let empty = ReplyTemplates(libraries: [:])

    /// Loads every language's folder under `directory` and checks the `required` names exist in each.
    public init(directory: String, required: [String]) async throws {
        var libraries: [Language: MustacheLibrary] = [:]
        for language in Language.allCases {
            let folder = (directory as NSString).appendingPathComponent(language.rawValue)
            let library = try await MustacheLibrary(directory: folder)
            for name in required where library.getTemplate(named: name) == nil {
                throw MissingTemplate(path: (folder as NSString).appendingPathComponent("\(name).mustache"))
            }
            libraries[language] = library
        }
        self.libraries = libraries
    }

    /// The template `name` in `language` rendered with `values`, trimmed of surrounding whitespace.
    public func text(_ name: String, in language: Language, _ values: [String: String] = [:]) -> String {
        let rendered = libraries[language]?.render(values, withTemplate: name) ?? ""
        return rendered.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
