import ChatModel
import Crypto
import Foundation

/// Renders replies as Bot API calls (docs/channels.md §6.3): text split at 4,096 characters, quick
/// replies and card buttons as an inline keyboard, each card as a photo with its caption (or a text
/// message when it has no picture), media as a photo or document. A tap on a button is answered with
/// `answerCallbackQuery` first, so the customer's client stops waiting.
public struct TelegramRenderer: ReplyRenderer {
    /// The Bot API's fixed limits.
    enum Limit {
        static let callbackData = 64
        static let caption = 1024
        static let buttonText = 64
    }

    public let profile: ChannelProfile
    /// Prefix for relative image and page links (Telegram fetches them itself).
    public let publicBaseURL: String

    public var textLimit: Int? { profile.maxTextLength }

    public init(profile: ChannelProfile, publicBaseURL: String = "") {
        self.profile = profile
        self.publicBaseURL = publicBaseURL
    }

    public func render(_ response: AgentResponse, context: ReplyContext) -> Rendering {
        var rendering = Rendering()
        let chat = context.conversation.userID
        if let query = TelegramCallback.queryID(inPlatformID: context.inReplyTo) {
            var params = TelegramRequest.Params()
            params.callbackQueryID = query
            append(TelegramRequest(method: "answerCallbackQuery", params: params), kind: "answer_callback", text: nil, to: &rendering)
        }
        for reply in response.replies {
            render(reply, chat: chat, into: &rendering)
        }
        return rendering
    }

    private func render(_ reply: Reply, chat: String, into rendering: inout Rendering) {
        var calls: [(kind: String, text: String?, request: TelegramRequest)] = []
        if let media = reply.media {
            var params = TelegramRequest.Params(chatID: chat)
            params.caption = media.caption.map { TextFitting.truncate($0, to: Limit.caption) }
            if media.kind == .image {
                params.photo = absolute(media.url)
                calls.append(("photo", media.caption, TelegramRequest(method: "sendPhoto", params: params)))
            } else {
                params.document = absolute(media.url)
                calls.append(("document", media.caption, TelegramRequest(method: "sendDocument", params: params)))
            }
        }
        if let text = reply.text?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty {
            let pieces = TextFitting.split(text, limit: profile.maxTextLength)
            if pieces.count > 1 { rendering.degradations.append("text split into \(pieces.count) messages") }
            for piece in pieces {
                var params = TelegramRequest.Params(chatID: chat)
                params.text = piece
                calls.append(("text", piece, TelegramRequest(method: "sendMessage", params: params)))
            }
        }
        var cards = reply.cards ?? []
        if cards.count > profile.maxCards {
            rendering.degradations.append("\(cards.count) cards shown as \(profile.maxCards)")
            cards = Array(cards.prefix(profile.maxCards))
        }
        for card in cards {
            let caption = [card.title, card.subtitle, card.url.map(absolute)].compactMap { $0 }.joined(separator: "\n")
            var params = TelegramRequest.Params(chatID: chat)
            let buttons = cardButtons(card, &rendering)
            if !buttons.isEmpty { params.replyMarkup = TelegramRequest.Keyboard(inlineKeyboard: buttons.map { [$0] }) }
            if let image = card.imageURL {
                params.photo = absolute(image)
                params.caption = TextFitting.truncate(caption, to: Limit.caption)
                calls.append(("card_photo", card.title, TelegramRequest(method: "sendPhoto", params: params)))
            } else {
                params.text = TextFitting.truncate(caption, to: profile.maxTextLength)
                calls.append(("card_text", card.title, TelegramRequest(method: "sendMessage", params: params)))
            }
        }
        if reply.template != nil {
            rendering.degradations.append("message template dropped: Telegram has none")
        }
        let options = reply.quickReplies ?? []
        if !options.isEmpty {
            let shown = options.prefix(profile.maxQuickReplies)
            if options.count > shown.count { rendering.degradations.append("\(options.count) quick replies shown as \(shown.count)") }
            let keyboard = TelegramRequest.Keyboard(inlineKeyboard: shown.map { option in
                [button(option.title, payload: option.payload, &rendering)]
            })
            // The keyboard rides on the last text message; after cards or media it needs a message of its own.
            if let last = calls.indices.last, calls[last].request.method == "sendMessage", calls[last].request.params.replyMarkup == nil {
                calls[last].request.params.replyMarkup = keyboard
                calls[last].kind += "+keyboard"
            } else {
                var params = TelegramRequest.Params(chatID: chat)
                params.text = shown.map(\.title).joined(separator: " / ")
                params.replyMarkup = keyboard
                calls.append(("text+keyboard", params.text, TelegramRequest(method: "sendMessage", params: params)))
            }
        }
        for call in calls { append(call.request, kind: call.kind, text: call.text, to: &rendering) }
    }

    private func cardButtons(_ card: Card, _ rendering: inout Rendering) -> [TelegramRequest.Button] {
        if card.buttons.count > profile.maxButtonsPerCard {
            rendering.degradations.append("card '\(card.title)': \(card.buttons.count) buttons shown as \(profile.maxButtonsPerCard)")
        }
        return card.buttons.prefix(profile.maxButtonsPerCard).map { cardButton in
            switch cardButton {
            case .postback(let title, let payload): button(title, payload: payload, &rendering)
            case .url(let title, let url):
                TelegramRequest.Button(text: TextFitting.truncate(title, to: Limit.buttonText), url: absolute(url))
            }
        }
    }

    /// A button that sends `payload` back: as it is when it fits the 64 bytes of `callback_data`, otherwise as
    /// a short reference the channel keeps (`Rendering.payloads`) and its inbound step resolves.
    private func button(_ title: String, payload: String, _ rendering: inout Rendering) -> TelegramRequest.Button {
        var data = payload
        if payload.utf8.count > Limit.callbackData || payload.hasPrefix(TelegramPayloads.prefix) {
            data = TelegramPayloads.reference(for: payload)
            rendering.payloads[data] = payload
        }
        return TelegramRequest.Button(text: TextFitting.truncate(title, to: Limit.buttonText), callbackData: data)
    }

    private func append(_ request: TelegramRequest, kind: String, text: String?, to rendering: inout Rendering) {
        rendering.messages.append(RenderedMessage(kind: kind, text: text, payload: request.json))
    }

    private func absolute(_ link: String) -> String {
        link.absolute(against: publicBaseURL)
    }
}

/// Button payloads longer than `callback_data` takes, sent as references.
enum TelegramPayloads {
    static let prefix = "ref:"

    /// `ref:` and 16 URL-safe characters of the payload's SHA-256: the same payload always gets the same reference.
    static func reference(for payload: String) -> String {
        let digest = Data(SHA256.hash(data: Data(payload.utf8)).prefix(12)).base64EncodedString()
        return prefix + digest.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }
}
