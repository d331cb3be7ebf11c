import ChatModel
import Foundation

/// Renders replies as WhatsApp Cloud API message bodies (docs/channels.md §2.5): text split at 4096, up to
/// three quick replies as reply buttons and more as a list (ten rows; the rest as text), cards as a list of
/// products plus image messages or as the catalog's product carousel, template references as approved
/// templates, and media.
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
        /// Footer of interactive messages (the shop's name, say), at most 60 characters.
        public var footer: String?
        /// The Meta commerce catalog whose content ids are the shop's skus: cards become its product carousel.
        public var catalogID: String?

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
        static let sectionTitle = 20
        static let header = 60
        static let footer = 60
        static let carouselCards = 10
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
            append(.readReceipt(context.inReplyTo), kind: "mark_read", text: nil, to: &rendering)
        }
        var bodies: [Body] = []
        for reply in response.replies {
            bodies += render(reply, recipient: recipient, language: context.language, notes: &rendering.degradations)
        }
        if context.quotesCustomer, !context.inReplyTo.isEmpty, !bodies.isEmpty {
            bodies[0].body.context = .init(messageID: context.inReplyTo)
        }
        for message in bodies { append(message.body, kind: message.kind, text: message.text, to: &rendering) }
        return rendering
    }

    /// One request body with the kind and words it is recorded under.
    typealias Body = (kind: String, text: String?, body: WhatsAppMessage)

    private func append(_ body: WhatsAppMessage, kind: String, text: String?, to rendering: inout Rendering) {
        rendering.messages.append(RenderedMessage(kind: kind, text: text, payload: body.json))
    }

    private func interactive(_ recipient: String, _ content: WhatsAppMessage.Interactive) -> WhatsAppMessage {
        var message = WhatsAppMessage(to: recipient, type: "interactive")
        message.interactive = content
        return message
    }

    private func render(_ reply: Reply, recipient: String, language: Language, notes: inout [String])
        -> [Body]
    {
        var out: [Body] = []
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
            out += productMessages(cards, body: text.isEmpty ? phrase(.products, language) + ":" : text, recipient: recipient, language: language, notes: &notes)
            text = ""
        }
        if !options.isEmpty {
            out += choiceMessages(options, body: text.isEmpty ? phrase(.choose, language) + ":" : text, recipient: recipient, language: language, notes: &notes)
        }
        if let media = reply.media {
            let type = media.kind == .file ? "document" : media.kind.rawValue
            var message = WhatsAppMessage(to: recipient, type: type)
            message.setMedia(.init(link: absolute(media.url), caption: media.kind == .audio ? nil : media.caption), type: type)
            out.append((type, media.caption, message))
        }
        return out
    }

    private func textMessage(_ text: String, _ recipient: String) -> Body {
        var message = WhatsAppMessage(to: recipient, type: "text")
        message.text = .init(body: text, previewURL: text.contains("https://"))
        return ("text", text, message)
    }

    /// The footer line, when one is configured.
    private var footer: WhatsAppMessage.Line? {
        settings.footer.map { .init(text: TextFitting.truncate($0, to: Limit.footer)) }
    }

    /// Up to three choices as reply buttons; more as a list of ten, and the rest as numbered text.
    private func choiceMessages(
        _ options: [QuickReply], body: String, recipient: String, language: Language, notes: inout [String]
    ) -> [Body] {
        var unique: [QuickReply] = []
        for option in options where !unique.contains(where: { TextFitting.truncate($0.title, to: Limit.buttonTitle) == TextFitting.truncate(option.title, to: Limit.buttonTitle) }) {
            unique.append(option)
        }
        if unique.count < options.count { notes.append("\(options.count - unique.count) quick replies with the same title left out") }
        if unique.count <= Limit.buttons {
            let buttons = unique.map { option in
                WhatsAppMessage.Interactive.Button(
                    reply: .init(id: TextFitting.truncate(option.payload, to: Limit.buttonID), title: TextFitting.truncate(option.title, to: Limit.buttonTitle)))
            }
            let content = WhatsAppMessage.Interactive(type: "button", body: .init(text: body), footer: footer, action: .init(buttons: buttons))
            return [("interactive_buttons", body, interactive(recipient, content))]
        }
        let rows = unique.prefix(Limit.listRows).map { option in
            WhatsAppMessage.Interactive.Row(
                id: TextFitting.truncate(option.payload, to: Limit.rowID), title: TextFitting.truncate(option.title, to: Limit.rowTitle))
        }
        notes.append("\(unique.count) quick replies shown as a list")
        var out = [list(sections: [(phrase(.choose, language), rows)], header: nil, button: phrase(.options, language), body: body, recipient: recipient)]
        let rest = unique.dropFirst(Limit.listRows)
        if !rest.isEmpty {
            notes.append("\(rest.count) quick replies beyond the list's ten rows sent as text")
            let lines = rest.enumerated().map { "\(Limit.listRows + $0.offset + 1)) \($0.element.title)" }
            out.append(textMessage(([phrase(.moreOptions, language)] + lines).joined(separator: "\n"), recipient))
        }
        return out
    }

    /// Cards as the catalog's product carousel when one is configured and every card is a product; otherwise
    /// as a list of products (tapping one sends its first postback, or `DETAILS:sku`), grouped by category,
    /// after the first few as image messages with their name, price and link.
    private func productMessages(
        _ cards: [Card], body: String, recipient: String, language: Language, notes: inout [String]
    ) -> [Body] {
        if let catalogID = settings.catalogID, let carousel = carousel(cards, catalogID: catalogID, body: body, recipient: recipient, notes: &notes) {
            return [carousel]
        }
        var out: [Body] = []
        for card in cards.prefix(settings.imageCards) {
            guard let image = card.imageURL else { continue }
            let caption = [card.title, card.subtitle, card.url.map(absolute)].compactMap { $0 }.joined(separator: "\n")
            var message = WhatsAppMessage(to: recipient, type: "image")
            message.image = .init(link: absolute(image), caption: caption)
            out.append(("image", caption, message))
        }
        let shown = cards.prefix(Limit.listRows)
        if cards.count > Limit.listRows { notes.append("\(cards.count) cards shown as a list of \(Limit.listRows)") }
        var sections: [(title: String, rows: [WhatsAppMessage.Interactive.Row])] = []
        for card in shown {
            let row = WhatsAppMessage.Interactive.Row(
                id: TextFitting.truncate(card.choicePayload, to: Limit.rowID), title: TextFitting.truncate(card.title, to: Limit.rowTitle),
                description: card.subtitle.map { TextFitting.truncate($0, to: Limit.rowDescription) })
            let title = TextFitting.truncate(card.category ?? phrase(.products, language), to: Limit.sectionTitle)
            if let index = sections.firstIndex(where: { $0.title == title }) {
                sections[index].rows.append(row)
            } else {
                sections.append((title, [row]))
            }
        }
        out.append(list(
            sections: sections, header: phrase(.productsHeader, language), button: phrase(.products, language), body: body,
            recipient: recipient))
        return out
    }

    /// The native product carousel (two to ten cards), or a single product message for one card; nil when a
    /// card is not a product of the catalog.
    private func carousel(
        _ cards: [Card], catalogID: String, body: String, recipient: String, notes: inout [String]
    ) -> Body? {
        let skus = cards.compactMap(\.sku)
        guard skus.count == cards.count, !skus.isEmpty else { return nil }
        if skus.count == 1 {
            let product = WhatsAppMessage.Interactive(
                type: "product", body: .init(text: body), footer: footer, action: .init(catalogID: catalogID, productRetailerID: skus[0]))
            return ("interactive_product", body, interactive(recipient, product))
        }
        if skus.count > Limit.carouselCards { notes.append("\(skus.count) cards shown as a carousel of \(Limit.carouselCards)") }
        let carouselCards = skus.prefix(Limit.carouselCards).enumerated().map { index, sku in
            WhatsAppMessage.Interactive.CarouselCard(cardIndex: index, action: .init(catalogID: catalogID, productRetailerID: sku))
        }
        let carousel = WhatsAppMessage.Interactive(type: "carousel", body: .init(text: body), action: .init(cards: carouselCards))
        return ("interactive_carousel", body, interactive(recipient, carousel))
    }

    private func list(
        sections: [(title: String, rows: [WhatsAppMessage.Interactive.Row])], header: String?, button: String, body: String, recipient: String
    ) -> Body {
        let list = WhatsAppMessage.Interactive(
            type: "list", header: header.map { .init(text: TextFitting.truncate($0, to: Limit.header)) }, body: .init(text: body),
            footer: footer,
            action: .init(
                button: TextFitting.truncate(button, to: Limit.listButton),
                sections: sections.map { .init(title: $0.title, rows: $0.rows) }))
        return ("interactive_list", body, interactive(recipient, list))
    }

    private enum Phrase { case products, productsHeader, options, choose, moreOptions }

    private func phrase(_ phrase: Phrase, _ language: Language) -> String {
        switch (phrase, language) {
        case (.products, .hu): "Termékek"
        case (.products, .en): "Products"
        case (.productsHeader, .hu): "Ajánlatunk"
        case (.productsHeader, .en): "Our picks"
        case (.options, .hu): "Lehetőségek"
        case (.options, .en): "Options"
        case (.choose, .hu): "Válassz"
        case (.choose, .en): "Choose"
        case (.moreOptions, .hu): "További lehetőségek:"
        case (.moreOptions, .en): "More options:"
        }
    }

    private func absolute(_ link: String) -> String {
        link.absolute(against: settings.publicBaseURL)
    }
}
