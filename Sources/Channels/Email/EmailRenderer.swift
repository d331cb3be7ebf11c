import ChatModel
import Foundation

/// Renders replies as SendGrid v3 mail/send bodies (docs/channels.md §4.6): one email per answer with a plain
/// and an HTML part (the `templates/email` layout: paragraphs, a product grid with images, prices and links,
/// choices as a numbered list the customer answers with a number), threaded with `In-Reply-To` and
/// `References`, and `List-Unsubscribe` on marketing mail.
public struct EmailRenderer: ReplyRenderer {
    public let settings: EmailSettings

    public init(settings: EmailSettings) {
        self.settings = settings
    }

    public var threadsOperatorMessages: Bool { true }

    public func render(_ response: AgentResponse, context: ReplyContext) -> Rendering {
        var rendering = Rendering()
        rendering.choices = []
        var paragraphs: [String] = []
        var cards: [Card] = []
        var choices: [QuickReply] = []
        for reply in response.replies {
            if let text = reply.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
                paragraphs += text.components(separatedBy: "\n\n").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            }
            if let template = reply.template, reply.text == nil {
                rendering.degradations.append("template \(template.name) has no email form; left out")
            }
            cards += reply.cards ?? []
            choices += reply.quickReplies ?? []
            if let media = reply.media {
                paragraphs.append([media.caption, absolute(media.url)].compactMap { $0 }.joined(separator: "\n"))
            }
        }
        guard !paragraphs.isEmpty || !cards.isEmpty || !choices.isEmpty else { return rendering }
        let language = context.language
        let signoff = [language == .hu ? "Üdvözlettel," : "Best regards,", settings.fromName].compactMap { $0 }.joined(separator: "\n")

        var text = paragraphs.joined(separator: "\n\n")
        for card in cards {
            let line = ["• " + card.title, card.subtitle].compactMap { $0 }.joined(separator: " – ")
            text += "\n\n" + line + (card.url.map { "\n  " + absolute($0) } ?? "")
        }
        if !choices.isEmpty {
            text += "\n\n" + choices.enumerated().map { "\($0.offset + 1)) \($0.element.title)" }.joined(separator: "\n")
            text += "\n" + hint(language)
        }
        text = (text + "\n\n" + signoff).trimmingCharacters(in: .whitespacesAndNewlines)

        let marketing = response.agent == .marketing || context.consentTopic != nil
        let unsubscribe = marketing ? unsubscribeLink(for: context.conversation.userID) : nil
        let bodyHTML = (paragraphs + [signoff]).map { "<p>" + Self.escape($0).replacing("\n", with: "<br>") + "</p>" }.joined()
        let values: [String: Any] = [
            "lang": language.rawValue, "subject": subject(context), "body_html": bodyHTML, "products": cards.map(product),
            "has_products": !cards.isEmpty,
            "choices": choices.enumerated().map { ["number": $0.offset + 1, "title": $0.element.title] },
            "has_choices": !choices.isEmpty, "choices_hint": hint(language), "shop": settings.fromName ?? settings.domain,
            "unsubscribe_url": unsubscribe ?? "", "unsubscribe_label": language == .hu ? "Leiratkozás" : "Unsubscribe",
        ]
        let html = settings.layout.render(values)

        var headers: [String: String] = [:]
        let thread = context.conversation.accountID
        let answered = context.inReplyTo.hasPrefix("<") ? context.inReplyTo : thread
        headers["In-Reply-To"] = answered
        headers["References"] = (thread == answered ? [thread] : [thread, answered]).joined(separator: " ")
        headers["Message-ID"] = EmailThreading.messageID(thread: thread, token: Self.token(), domain: settings.domain)
        // RFC 3834: marks the reply as automatic, so out-of-office responders do not answer it (no mail loop).
        headers["Auto-Submitted"] = "auto-replied"
        if marketing {
            var targets = ["<mailto:\(settings.replyTo ?? settings.fromAddress)?subject=unsubscribe>"]
            if let unsubscribe {
                targets.insert("<\(unsubscribe)>", at: 0)
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            }
            headers["List-Unsubscribe"] = targets.joined(separator: ", ")
        }
        let mail = SendGridMail(
            personalizations: [.init(to: [.init(email: context.conversation.userID, name: context.recipientName)])],
            from: .init(email: settings.fromAddress, name: settings.fromName),
            replyTo: settings.replyTo.map { .init(email: $0, name: settings.fromName) }, subject: subject(context),
            content: [.init(type: "text/plain", value: text), .init(type: "text/html", value: html)], headers: headers)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(mail) else { return rendering }
        rendering.choices = choices
        rendering.messages.append(RenderedMessage(kind: "email", text: text, payload: String(decoding: data, as: UTF8.self)))
        return rendering
    }

    /// A plain notice from the shop's address to one of its own people (an operator alerted of a
    /// hand-off): no threading, no unsubscribe, marked as automatic so that no responder answers it.
    public func notice(to address: String, subject: String, text: String) -> String? {
        let mail = SendGridMail(
            personalizations: [.init(to: [.init(email: address, name: nil)])],
            from: .init(email: settings.fromAddress, name: settings.fromName), replyTo: nil, subject: subject,
            content: [.init(type: "text/plain", value: text)], headers: ["Auto-Submitted": "auto-generated"])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(mail)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `Re: ` and the customer's subject, or a neutral subject when there is none.
    private func subject(_ context: ReplyContext) -> String {
        guard let original = context.subject?.trimmingCharacters(in: .whitespaces), !original.isEmpty else {
            let shop = settings.fromName ?? settings.domain
            return context.language == .hu ? "Üzenet – \(shop)" : "A message from \(shop)"
        }
        let lower = original.lowercased()
        return lower.hasPrefix("re:") || lower.hasPrefix("vá:") || lower.hasPrefix("válasz:") ? original : "Re: " + original
    }

    private func hint(_ language: Language) -> String {
        language == .hu ? "Válaszolj a választott lehetőség számával." : "Reply with the number of your choice."
    }

    private func product(_ card: Card) -> [String: Any] {
        var item: [String: Any] = ["title": card.title]
        if let subtitle = card.subtitle { item["subtitle"] = subtitle }
        if let image = card.imageURL { item["image"] = absolute(image) }
        if let url = card.url { item["url"] = absolute(url) }
        let links = card.buttons.compactMap { button -> [String: String]? in
            if case .url(let title, let url) = button { return ["title": title, "url": absolute(url)] }
            return nil
        }
        item["buttons"] = links
        return item
    }

    private func unsubscribeLink(for address: String) -> String? {
        guard !settings.unsubscribeKey.isEmpty else { return nil }
        let token = EmailUnsubscribe(key: settings.unsubscribeKey).token(for: address)
        let encoded = address.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? address
        return "\(settings.unsubscribeURL)?address=\(encoded)&token=\(token)"
    }

    private func absolute(_ link: String) -> String {
        link.absolute(against: settings.publicBaseURL)
    }

    private static func token() -> String {
        UUID().uuidString.lowercased().replacing("-", with: "").prefix(16).description
    }

    static func escape(_ text: String) -> String {
        text.replacing("&", with: "&amp;").replacing("<", with: "&lt;").replacing(">", with: "&gt;").replacing("\"", with: "&quot;")
    }
}
