import ChatModel
import Foundation

/// Renders replies as Send API bodies: text, quick replies, generic-template carousels, button templates, media.
///
/// Every degradation is decided here and reported in `Rendering.degradations`:
/// - text longer than the limit is split on sentence, then word, then grapheme boundaries;
/// - more quick replies than allowed become a numbered list appended to the text; long titles are cut with "…";
///   options whose payload is too long are dropped;
/// - more cards than allowed are cut to the limit; titles, subtitles and button titles are cut with "…";
///   extra buttons are dropped;
/// - one card with buttons is a button template (its image, if any, is sent first as an image);
/// - a template reference cannot be sent on Messenger and is dropped.
/// Quick replies ride on the last message of a reply.
public struct MessengerRenderer: ReplyRenderer {
    public let profile: ChannelProfile

    public var textLimit: Int? { profile.maxTextLength }

    public init(profile: ChannelProfile) {
        self.profile = profile
    }

    public func render(_ response: AgentResponse, context: ReplyContext) -> Rendering {
        var rendering = Rendering()
        for reply in response.replies {
            render(reply, to: context.conversation.userID, tag: context.messageTag, into: &rendering)
        }
        return rendering
    }

    private typealias Wire = MessengerSendRequest

    private func render(_ reply: Reply, to recipient: String, tag: String?, into rendering: inout Rendering) {
        var messages: [(kind: String, text: String?, message: Wire.Message)] = []
        var text = reply.text ?? ""
        var chips: [Wire.QuickReply] = []

        let options = reply.quickReplies ?? []
        if options.count > profile.maxQuickReplies {
            rendering.degradations.append("\(options.count) quick replies shown as a numbered list")
            let list = options.enumerated().map { "\($0.offset + 1)) \($0.element.title)" }.joined(separator: "\n")
            text = text.isEmpty ? list : text + "\n\n" + list
        } else {
            for option in options {
                guard option.payload.utf16.count <= profile.maxQuickReplyPayloadLength else {
                    rendering.degradations.append("quick reply '\(option.title)' dropped: payload too long")
                    continue
                }
                chips.append(Wire.QuickReply(title: fit(option.title, profile.maxQuickReplyTitleLength, "quick reply title", &rendering), payload: option.payload))
            }
        }

        if let media = reply.media {
            messages.append(("media", media.caption, Wire.Message(attachment: mediaAttachment(media.kind.rawValue, media.url))))
        }

        if !text.isEmpty {
            let pieces = TextFitting.split(text, limit: profile.maxTextLength)
            if pieces.count > 1 { rendering.degradations.append("text split into \(pieces.count) messages") }
            messages += pieces.map { ("text", $0, Wire.Message(text: $0)) }
        }

        var cards = reply.cards ?? []
        if cards.count > profile.maxCards {
            rendering.degradations.append("\(cards.count) cards shown as \(profile.maxCards)")
            cards = Array(cards.prefix(profile.maxCards))
        }
        if cards.count == 1, let card = cards.first, !card.buttons.isEmpty {
            if let image = card.imageURL {
                messages.append(("image", nil, Wire.Message(attachment: mediaAttachment("image", image))))
            }
            let body = [card.title, card.subtitle].compactMap { $0 }.joined(separator: "\n")
            let template = Wire.Payload.button(
                text: fit(body, profile.maxButtonTemplateTextLength, "button template text", &rendering),
                buttons: buttons(card, &rendering))
            messages.append(("button_template", body, Wire.Message(attachment: .init(type: "template", payload: template))))
        } else if !cards.isEmpty {
            let elements = cards.map { card in
                let cardButtons = buttons(card, &rendering)
                return Wire.Element(
                    title: fit(card.title, profile.maxCardTitleLength, "card title", &rendering),
                    subtitle: card.subtitle.map { fit($0, profile.maxCardSubtitleLength, "card subtitle", &rendering) },
                    imageUrl: card.imageURL,
                    defaultAction: card.url.map { Wire.DefaultAction(url: $0) },
                    buttons: cardButtons.isEmpty ? nil : cardButtons)
            }
            let summary = cards.map(\.title).joined(separator: "\n")
            messages.append(("generic_template", summary, Wire.Message(attachment: .init(type: "template", payload: .generic(elements: elements)))))
        }

        if reply.template != nil {
            rendering.degradations.append("message template dropped: Messenger has none")
        }
        if messages.isEmpty, !chips.isEmpty {
            // Quick replies need a message to ride on; their titles are the best words we have.
            let prompt = chips.map(\.title).joined(separator: " / ")
            messages.append(("text", prompt, Wire.Message(text: prompt)))
        }
        if !chips.isEmpty { messages[messages.count - 1].message.quickReplies = chips }

        for item in messages {
            var request = Wire(recipient: .init(id: recipient), message: item.message)
            if let tag {
                request.messagingType = "MESSAGE_TAG"
                request.tag = tag
            }
            let kind = item.message.quickReplies == nil ? item.kind : item.kind + "+quick_replies"
            rendering.messages.append(RenderedMessage(kind: kind, text: item.text, payload: Self.encode(request)))
        }
    }

    private func buttons(_ card: Card, _ rendering: inout Rendering) -> [Wire.Button] {
        if card.buttons.count > profile.maxButtonsPerCard {
            rendering.degradations.append("card '\(card.title)': \(card.buttons.count) buttons shown as \(profile.maxButtonsPerCard)")
        }
        return card.buttons.prefix(profile.maxButtonsPerCard).map { button in
            let title = fit(button.title, profile.maxButtonTitleLength, "button title", &rendering)
            switch button {
            case .postback(_, let payload): return .postback(title: title, payload: payload)
            case .url(_, let url): return .webURL(title: title, url: url)
            }
        }
    }

    private func mediaAttachment(_ type: String, _ url: String) -> Wire.Attachment {
        Wire.Attachment(type: type, payload: .media(url: url))
    }

    private func fit(_ text: String, _ limit: Int, _ what: String, _ rendering: inout Rendering) -> String {
        let fitted = TextFitting.truncate(text, to: limit)
        if fitted != text { rendering.degradations.append("\(what) shortened to \(limit) characters") }
        return fitted
    }

    private static func encode(_ request: MessengerSendRequest) -> String {
        // Encoding plain strings and numbers cannot fail.
        String(decoding: (try? encoder.encode(request)) ?? Data(), as: UTF8.self)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
