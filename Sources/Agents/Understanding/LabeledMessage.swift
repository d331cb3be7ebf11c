import ChatModel
import Foundation

/// A customer message with the node that should answer it: the coordinator's training and test data.
public struct LabeledMessage: Sendable, Hashable {
    public var intent: String
    public var language: Language
    public var text: String

    public init(intent: String, language: Language, text: String) {
        self.intent = intent
        self.language = language
        self.text = text
    }

    /// The labeled set shipped with ChatBuddy (`Sources/Agents/Resources/intents.tsv`).
    public static let builtIn: [LabeledMessage] = (try? parse(String(decoding: PackageResources.intents_tsv, as: UTF8.self))) ?? []

    /// A line of the labeled set that is not `intent<TAB>language<TAB>text`.
    public struct FormatError: Error, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "intents.tsv:\(line): \(reason)" }
    }

    /// Messages of a labeled set: one per line, `#` comments and blank lines skipped.
    public static func parse(_ text: String) throws -> [LabeledMessage] {
        var messages: [LabeledMessage] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = line.split(separator: "\t", maxSplits: 2)
            guard fields.count == 3, let language = Language(rawValue: String(fields[1])) else {
                throw FormatError(line: number + 1, reason: "expected intent, language (hu or en) and text separated by tabs")
            }
            messages.append(LabeledMessage(intent: String(fields[0]), language: language, text: String(fields[2])))
        }
        return messages
    }

    /// The set split for evaluation: every fifth message held out, the rest for training.
    public static func split(_ messages: [LabeledMessage]) -> (training: [LabeledMessage], heldOut: [LabeledMessage]) {
        var training: [LabeledMessage] = []
        var heldOut: [LabeledMessage] = []
        for (index, message) in messages.enumerated() {
            if index % 5 == 4 { heldOut.append(message) } else { training.append(message) }
        }
        return (training, heldOut)
    }
}
