import ChatModel
import Crypto
import Foundation

/// Renders replies as Twilio Messages API form bodies (docs/channels.md §3.5): plain text only, quick replies
/// and cards as a numbered list the customer answers with a number, media as links, the whole within the
/// segment budget and 1,600 characters.
public struct SMSRenderer: ReplyRenderer {
    public let settings: SMSSettings

    public var textLimit: Int? { settings.maxCharacters }

    public init(settings: SMSSettings) {
        self.settings = settings
    }

    public func render(_ response: AgentResponse, context: ReplyContext) -> Rendering {
        var rendering = Rendering()
        rendering.choices = []
        var paragraphs: [String] = []
        var choices: [(line: String, choice: QuickReply)] = []
        for reply in response.replies {
            if let text = reply.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty { paragraphs.append(text) }
            if let template = reply.template, reply.text == nil {
                rendering.degradations.append("template \(template.name) has no SMS form; left out")
            }
            let cards = reply.cards ?? []
            for card in cards {
                let line = [card.title, card.subtitle].compactMap { $0 }.joined(separator: " – ")
                choices.append((line, QuickReply(title: card.title, payload: card.choicePayload)))
            }
            if cards.count == 1, let url = cards[0].url { paragraphs.append(url.absolute(against: settings.publicBaseURL)) }
            for option in reply.quickReplies ?? [] { choices.append((option.title, option)) }
            if let media = reply.media {
                paragraphs.append([media.caption, media.url.absolute(against: settings.publicBaseURL)].compactMap { $0 }.joined(separator: " "))
            }
        }
        if choices.count > settings.maxChoices {
            rendering.degradations.append("\(choices.count) choices cut to \(settings.maxChoices)")
            choices = Array(choices.prefix(settings.maxChoices))
        }
        var text = paragraphs.joined(separator: "\n\n")
        if settings.linkBase != nil {
            text = text.replacing(/https?:\/\/[^\s]+/) { match in shortened(String(match.output), links: &rendering.links) }
        }
        var lines = choices.enumerated().map { "\($0.offset + 1)) " + TextFitting.truncate($0.element.line, to: settings.maxChoiceTitle) }
        // Over the budget: the text is shortened; when even a word of it does not fit, the last choices go.
        while !fits(compose(text, lines)), !lines.isEmpty, !fits(compose(firstWord(text), lines)) {
            lines.removeLast()
            choices.removeLast()
            rendering.degradations.append("a choice left out to stay within \(settings.segmentBudget) segments")
        }
        if !fits(compose(text, lines)) {
            text = shorten(text, toFitWith: lines)
            rendering.degradations.append("text shortened to \(settings.segmentBudget) segments")
        }
        let body = compose(text, lines)
        guard !body.isEmpty else { return rendering }
        rendering.choices = choices.map(\.choice)
        rendering.messages.append(RenderedMessage(kind: choices.isEmpty ? "text" : "numbered_choices", text: body, payload: form(body, context: context)))
        return rendering
    }

    private func compose(_ text: String, _ lines: [String]) -> String {
        ([text].filter { !$0.isEmpty } + lines).joined(separator: "\n")
    }

    private func fits(_ body: String) -> Bool {
        body.utf16.count <= settings.maxCharacters && SMSSegments(body).count <= settings.segmentBudget
    }

    private func firstWord(_ text: String) -> String {
        text.firstIndex(where: \.isWhitespace).map { String(text[..<$0]) + "…" } ?? ""
    }

    /// The longest start of `text` that fits with `lines`, marked as shortened: cut after a word when one
    /// fits, else between characters (never inside one).
    private func shorten(_ text: String, toFitWith lines: [String]) -> String {
        // A GSM-7 text keeps GSM-7 with "..." where "…" would make it UCS-2 and halve its room.
        let mark = SMSSegments(text).encoding == .gsm7 ? "..." : "…"
        func candidate(_ end: String.Index) -> String { text[..<end].trimmingTrailingWhitespace() + mark }
        func longest(_ ends: [String.Index]) -> String? {
            var low = 0
            var high = ends.count - 1
            var best: String?
            while low <= high {
                let middle = (low + high) / 2
                if fits(compose(candidate(ends[middle]), lines)) {
                    best = candidate(ends[middle])
                    low = middle + 1
                } else {
                    high = middle - 1
                }
            }
            return best
        }
        let wordEnds = text.indices.filter { $0 > text.startIndex && text[$0].isWhitespace && !text[text.index(before: $0)].isWhitespace }
        return longest(wordEnds) ?? longest(Array(text.indices.dropFirst())) ?? ""
    }

    /// The Messages API form: `To`, `From` or `MessagingServiceSid`, `Body`, `StatusCallback`.
    private func form(_ body: String, context: ReplyContext) -> String {
        var fields = [("To", context.conversation.userID)]
        if let service = settings.messagingServiceSID {
            fields.append(("MessagingServiceSid", service))
        } else {
            fields.append(("From", context.conversation.accountID.isEmpty ? settings.fromNumber : context.conversation.accountID))
        }
        fields.append(("Body", body))
        if !settings.statusCallback.isEmpty { fields.append(("StatusCallback", settings.statusCallback)) }
        return FormEncoding.encode(fields)
    }

    /// `url` as the gateway's redirect (`{linkBase}/{code}`), with the code added to `links`.
    private func shortened(_ url: String, links: inout [String: String]) -> String {
        guard let base = settings.linkBase, !url.hasPrefix(base) else { return url }
        let code = Self.code(for: url)
        links[code] = url
        return base.trimmingSuffix("/") + "/" + code
    }

    /// Eight URL-safe characters from the link's SHA-256: the same link always gets the same code.
    static func code(for url: String) -> String {
        let digest = SHA256.hash(data: Data(url.utf8))
        return String(Data(digest).base64EncodedString().filter { $0.isLetter || $0.isNumber }.prefix(8))
    }
}
