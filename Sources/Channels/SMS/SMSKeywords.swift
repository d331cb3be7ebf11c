import ChatModel
import Foundation

/// The carrier compliance keywords of SMS: a message that is only one of them opts the number out of, or
/// back into, all our messages, or asks for help (the words are in `channels/sms.yml`).
public struct SMSKeywords: Sendable, Hashable {
    public enum Command: String, Sendable, Hashable {
        case optOut = "opt_out"
        case optIn = "opt_in"
        case help
    }

    public var optOut: Set<String> = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "LEIRATKOZAS"]
    public var optIn: Set<String> = ["START", "UNSTOP"]
    public var help: Set<String> = ["HELP"]
    /// Answers to `help` and `optIn`, by language.
    public var replies: [Command: [Language: String]] = [
        .help: [
            .hu: "Ügyfélszolgálat: írj nekünk itt bármikor. Leiratkozás: STOP.",
            .en: "Customer service: write to us here any time. To opt out, reply STOP.",
        ],
        .optIn: [
            .hu: "Újra küldhetünk neked üzenetet. Leiratkozás: STOP.",
            .en: "You will get our messages again. To opt out, reply STOP.",
        ],
    ]

    public init() {}

    /// The command `text` is, when it is nothing but a keyword (any case, accents ignored).
    public func command(in text: String) -> Command? {
        let word = Self.fold(text)
        guard !word.isEmpty else { return nil }
        if optOut.contains(word) { return .optOut }
        if optIn.contains(word) { return .optIn }
        if help.contains(word) { return .help }
        return nil
    }

    /// Upper case without accents or surrounding spaces and punctuation: "Leiratkozás!" → "LEIRATKOZAS".
    public static func fold(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters))
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .uppercased()
    }
}
