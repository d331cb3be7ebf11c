import ChatModel
import Foundation

/// Reads a customer's answer to a numbered list of choices (SMS, email): "2", "2)", "#2" or the option's
/// own words pick that option.
public enum NumberedChoices {
    /// The option `text` picks, if it picks one.
    public static func match(_ text: String, in choices: [QuickReply]) -> QuickReply? {
        guard !choices.isEmpty else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "#.)")))
        if let number = Int(trimmed) {
            return (1...choices.count).contains(number) ? choices[number - 1] : nil
        }
        let words = fold(trimmed)
        guard !words.isEmpty else { return nil }
        return choices.first { fold($0.title) == words }
    }

    private static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .components(separatedBy: CharacterSet.alphanumerics.inverted).filter { !$0.isEmpty }.joined(separator: " ")
    }
}
