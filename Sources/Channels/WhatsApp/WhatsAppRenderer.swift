import ChatModel
import Foundation

/// Renders replies as WhatsApp Cloud API message bodies (channels-spec §2.5): text split at 4096, up to
/// three quick replies as reply buttons and more as a list (ten rows; the rest as text), cards as a list of
/// products plus image messages, template references as approved templates, and media.
public struct WhatsAppRenderer: ReplyRenderer {
    /// How the renderer adapts replies beyond the profile's limits.
    public struct Settings: Sendable, Hashable {
        /// Cards also sent as image messages (with the product's picture), at most.
        public var imageCards = 3
        /// Send a read receipt for the customer's message before the answer.
        public var markAsRead = false
        /// Prefix for relative image and page links (WhatsApp fetches them itself).
        public var publicBaseURL = ""
        public var templates = WhatsAppTemplates()

        public init() {}
    }

    /// WhatsApp's fixed limits of interactive messages.
    enum Limit {
        static let buttons = 3
        static let buttonTitle = 20
        static let buttonID = 256
        static let interactiveBody = 1024
        static let listRows = 10
        static let rowTitle = 24
        static let rowDescription = 72
        static let rowID = 200
        static let listButton = 20
    }

    public let profile: ChannelProfile
    public let settings: Settings

    public var textLimit: Int? { profile.maxTextLength }

    public init(profile: ChannelProfile, settings: Settings = Settings()) {
        self.profile = profile
        self.settings = settings
    }

    public func render(_ response: AgentResponse, context: ReplyContext) -> Rendering {
        var rendering = Rendering()
        guard !response.replies.isEmpty else { return rendering }
        let recipient = context.conversation.userID
        if settings.markAsRead, !context.inReplyTo.isEmpty {
            append(["messaging_product": "whatsapp", "status": "read", "message_id": context.inReplyTo], kind: "mark_read", text: nil, to: &rendering)
        }
        var bodies: [(kind: String, text: String?, body: [String: Any])] = []
        for reply in response.replies {
            bodies += render(reply, recipient: recipient, language: context.language, notes: &rendering.degradations)
        }
        if context.quotesCustomer, !context.inReplyTo.isEmpty, !bodies.isEmpty {
            bodies[0].body["context"] = ["message_id": context.inReplyTo]
        }
        for message in bodies { append(message.body, kind: message.kind, text: message.text, to: &rendering) }
        return rendering
    }

    private func append(_ body: [String: Any], kind: String, text: String?, to rendering: inout Rendering) {
        guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        rendering.messages.append(RenderedMessage(kind: kind, text: text, payload: String(decoding: data, as: UTF8.self)))
    }

    private func envelope(_ recipient: String, _ type: String, _ content: [String: Any]) -> [String: Any] {
        ["messaging_product": "whatsapp", "recipient_type": "individual", "to": recipient, "type": type, type: content]
    }

    private func render(_ reply: Reply, recipient: String, language: Language, notes: inout [String])
        -> [(kind: String, text: String?, body: [String: Any])]
    {
        var out: [(kind: String, text: String?, body: [String: Any])] = []
        var text = reply.text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let options = reply.quickReplies ?? []
        let cards = reply.cards ?? []

        if let template = reply.template {
            if let body = settings.templates.body(template.name, parameters: template.parameters, to: recipient) {
                out.append(("template", "[\(template.name)] " + template.parameters.joined(separator: ", "), body))
            } else {
                notes.append("template \(template.name) is not configured in templates/whatsapp or its parameters do not fit; left out")
            }
        }
        // Text that leads into an interactive message must fit its body; what does not fit goes first, as text.
        let leadsInteractive = !options.isEmpty || !cards.isEmpty
        if leadsInteractive, text.utf16.count > Limit.interactiveBody {
            var pieces = TextFitting.split(text, limit: Limit.interactiveBody)
            text = pieces.removeLast()
            for piece in pieces { out.append(textMessage(piece, recipient)) }
        } else if !leadsInteractive, !text.isEmpty {
            let pieces = TextFitting.split(text, limit: profile.maxTextLength)
            if pieces.count > 1 { notes.append("text split into \(pieces.count) messages") }
            out += pieces.map { textMessage($0, recipient) }
            text = ""
        }
        if !cards.isEmpty {
            out += productMessages(cards, body: text.isEmpty ? prompt(language, products: true) : text, recipient: recipient, language: language, notes: &notes)
            text = ""
        }
        if !options.isEmpty {
            out += choiceMessages(options, body: text.isEmpty ? prompt(language, products: false) : text, recipient: recipient, language: language, notes: &notes)
        }
        if let media = reply.media {
            let type = media.kind == .file ? "document" : media.kind.rawValue
            var content: [String: Any] = ["link": absolute(media.url)]
            if let caption = media.caption, media.kind != .audio { content["caption"] = caption }
            out.append((type, media.caption, envelope(recipient, type, content)))
        }
        return out
    }

    private func textMessage(_ text: String, _ recipient: String) -> (kind: String, text: String?, body: [String: Any]) {
        ("text", text, envelope(recipient, "text", ["body": text, "preview_url": text.contains("https://")]))
    }

    /// Up to three choices as reply buttons; more as a list of ten, and the rest as numbered text.
    private func choiceMessages(
        _ options: [QuickReply], body: String, recipient: String, language: Language, notes: inout [String]
    ) -> [(kind: String, text: String?, body: [String: Any])] {
        var unique: [QuickReply] = []
        for option in options where !unique.contains(where: { TextFitting.truncate($0.title, to: Limit.buttonTitle) == TextFitting.truncate(option.title, to: Limit.buttonTitle) }) {
            unique.append(option)
        }
        if unique.count < options.count { notes.append("\(options.count - unique.count) quick replies with the same title left out") }
        if unique.count <= Limit.buttons {
            let buttons = unique.map { option in
                ["type": "reply", "reply": ["id": TextFitting.truncate(option.payload, to: Limit.buttonID), "title": TextFitting.truncate(option.title, to: Limit.buttonTitle)]]
            }
            let interactive: [String: Any] = ["type": "button", "body": ["text": body], "action": ["buttons": buttons]]
            return [("interactive_buttons", body, envelope(recipient, "interactive", interactive))]
        }
        let rows = unique.prefix(Limit.listRows).map { option in
            ["id": TextFitting.truncate(option.payload, to: Limit.rowID), "title": TextFitting.truncate(option.title, to: Limit.rowTitle)]
        }
        notes.append("\(unique.count) quick replies shown as a list")
        var out = [list(rows: rows, body: body, recipient: recipient, language: language)]
        let rest = unique.dropFirst(Limit.listRows)
        if !rest.isEmpty {
            notes.append("\(rest.count) quick replies beyond the list's ten rows sent as text")
            let lines = rest.enumerated().map { "\(Limit.listRows + $0.offset + 1)) \($0.element.title)" }
            out.append(textMessage(([language == .hu ? "További lehetőségek:" : "More options:"] + lines).joined(separator: "\n"), recipient))
        }
        return out
    }

    /// Cards as a list of products (tapping one sends its first postback, or `DETAILS:sku`), and the first
    /// few as image messages with their name, price and link.
    private func productMessages(
        _ cards: [Card], body: String, recipient: String, language: Language, notes: inout [String]
    ) -> [(kind: String, text: String?, body: [String: Any])] {
        var out: [(kind: String, text: String?, body: [String: Any])] = []
        for card in cards.prefix(settings.imageCards) {
            guard let image = card.imageURL else { continue }
            let caption = [card.title, card.subtitle, card.url.map(absolute)].compactMap { $0 }.joined(separator: "\n")
            out.append(("image", caption, envelope(recipient, "image", ["link": absolute(image), "caption": caption])))
        }
        let rows = cards.prefix(Limit.listRows).map { card -> [String: Any] in
            let payload = card.buttons.lazy.compactMap { button -> String? in
                if case .postback(_, let payload) = button { return payload }
                return nil
            }.first ?? "DETAILS:\(card.sku ?? card.title)"
            var row: [String: Any] = ["id": TextFitting.truncate(payload, to: Limit.rowID), "title": TextFitting.truncate(card.title, to: Limit.rowTitle)]
            if let subtitle = card.subtitle { row["description"] = TextFitting.truncate(subtitle, to: Limit.rowDescription) }
            return row
        }
        if cards.count > Limit.listRows { notes.append("\(cards.count) cards shown as a list of \(Limit.listRows)") }
        out.append(list(rows: rows, body: body, recipient: recipient, language: language))
        return out
    }

    private func list(rows: [[String: Any]], body: String, recipient: String, language: Language) -> (kind: String, text: String?, body: [String: Any]) {
        let interactive: [String: Any] = [
            "type": "list", "body": ["text": body],
            "action": ["button": language == .hu ? "Lehetőségek" : "Options", "sections": [["title": language == .hu ? "Válassz" : "Choose", "rows": rows]]],
        ]
        return ("interactive_list", body, envelope(recipient, "interactive", interactive))
    }

    private func prompt(_ language: Language, products: Bool) -> String {
        switch (language, products) {
        case (.hu, true): "Termékek:"
        case (.hu, false): "Válassz:"
        case (.en, true): "Products:"
        case (.en, false): "Choose:"
        }
    }

    private func absolute(_ link: String) -> String {
        link.hasPrefix("http://") || link.hasPrefix("https://") ? link : settings.publicBaseURL.trimmingSuffix("/") + link
    }
}
