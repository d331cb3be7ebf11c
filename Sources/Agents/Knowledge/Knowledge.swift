import ChatModel
import Foundation
import Webshop
import Yams

/// The general agent's editable answers (`templates/<language>/knowledge.yml`): topics, each with the
/// words that ask for it and the answer.
public struct Knowledge: Sendable {
    /// One answerable topic.
    public struct Topic: Sendable, Hashable {
        public var name: String
        /// Folded words and phrases that ask for it.
        public var keywords: [String]
        public var answer: String
        /// Whether the answer offers the main menu as quick replies.
        public var menu: Bool
    }

    public var topics: [Topic]
    /// Email addresses and phone numbers the answers may show (the shop's own).
    public var publicContacts: [String]

    /// A knowledge file that cannot be used, naming the file, the key and why.
    public struct FileError: Error, CustomStringConvertible {
        public var path: String
        public var key: String
        public var reason: String
        public var description: String { "\(path): \(key): \(reason)" }
    }

    public init(topics: [Topic], publicContacts: [String] = []) {
        self.topics = topics
        self.publicContacts = publicContacts
    }

    /// Reads a knowledge file: `topics: {name: {keywords: [...], answer: "...", menu: bool}}`, `public_contacts: [...]`.
    public init(contentsOf path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw FileError(path: path, key: "", reason: "cannot be read")
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: text)
        } catch {
            throw FileError(path: path, key: "", reason: "is not valid YAML")
        }
        guard let document = root as? [String: Any], let topics = document["topics"] as? [String: Any] else {
            throw FileError(path: path, key: "topics", reason: "a map of topics is required")
        }
        var parsed: [Topic] = []
        for (name, value) in topics.sorted(by: { $0.key < $1.key }) {
            guard let topic = value as? [String: Any] else { throw FileError(path: path, key: "topics.\(name)", reason: "expected a map") }
            guard let keywords = topic["keywords"] as? [Any], !keywords.isEmpty else {
                throw FileError(path: path, key: "topics.\(name).keywords", reason: "a list of words is required")
            }
            guard let answer = topic["answer"] as? String, !answer.isEmpty else {
                throw FileError(path: path, key: "topics.\(name).answer", reason: "a text is required")
            }
            parsed.append(Topic(
                name: name, keywords: keywords.map { TextFolding.fold("\($0)") }, answer: answer.trimmingCharacters(in: .whitespacesAndNewlines),
                menu: topic["menu"] as? Bool ?? false))
        }
        self.topics = parsed
        self.publicContacts = (document["public_contacts"] as? [Any])?.map { "\($0)" } ?? []
    }

    /// The topic whose keywords best match `text`: phrases count for their words, whole words more than
    /// word beginnings.
    public func topic(for text: NormalizedText) -> Topic? {
        var best: (topic: Topic, score: Int)?
        for topic in topics {
            var score = 0
            for keyword in topic.keywords {
                if keyword.utf8.contains(UInt8(ascii: " ")) {
                    if text.contains(phrase: keyword) { score += 3 * keyword.split(separator: " ").count }
                } else if text.words.contains(keyword) {
                    score += 3
                } else if keyword.count >= 4, text.words.contains(where: { $0.hasPrefix(keyword) }) {
                    score += 2
                }
            }
            if score > 0, score > (best?.score ?? 0) { best = (topic, score) }
        }
        return best?.topic
    }

    /// The topic named `name`.
    public func topic(named name: String) -> Topic? {
        topics.first { $0.name == name }
    }
}
