import ChatModel
import ConfigFile
import Foundation
import Yams

/// A ready answer operators pick in the console: a title for the list and the reply it sends.
struct CannedReply: Codable, Sendable, Hashable {
    var title: String
    var text: String
    var quickReplies: [String]?

    enum CodingKeys: String, CodingKey {
        case title, text
        case quickReplies = "quick_replies"
    }

    /// The shop's canned replies from `canned-replies.yml` in `directory`; none when the file is absent.
    static func load(directory: String) throws(ConfigError) -> [CannedReply] {
        let path = "\(directory)/canned-replies.yml"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        let replies: [CannedReply]
        do {
            replies = try YAMLDecoder().decode([CannedReply].self, from: text)
        } catch {
            throw ConfigError(file: path, line: 1, key: "canned replies", reason: "expected a list of {title, text, quick_replies?}: \(error)")
        }
        for (index, reply) in replies.enumerated() where reply.title.isEmpty || reply.text.isEmpty {
            throw ConfigError(file: path, line: 1, key: "[\(index)]", reason: "a canned reply needs a title and a text")
        }
        return replies
    }
}
