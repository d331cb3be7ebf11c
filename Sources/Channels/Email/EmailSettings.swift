import ChatModel
import Mustache

/// How email replies are written and sent (`channels.email` and `templates/email/`).
public struct EmailSettings: Sendable {
    /// `EMAIL_FROM_ADDRESS`, and the name shown with it.
    public var fromAddress: String
    public var fromName: String?
    /// Where customers' replies go (the Inbound Parse address), when it is not `fromAddress`.
    public var replyTo: String?
    /// Prefix for relative product images and links.
    public var publicBaseURL = ""
    /// The HTML layout (`templates/email/layout.mustache`).
    public var layout: MustacheTemplate
    /// Signs unsubscribe links, so only the address's owner can use one; marketing mail has no link without it.
    public var unsubscribeKey = ""

    /// Base of the one-click unsubscribe link of marketing mail (`{base}?address=…&token=…`).
    public var unsubscribeURL: String { publicBaseURL.trimmingSuffix("/") + EmailUnsubscribe.path }

    public init(fromAddress: String, layout: MustacheTemplate) {
        self.fromAddress = fromAddress
        self.layout = layout
    }

    /// The domain of `fromAddress`, for our `Message-ID`s.
    public var domain: String {
        fromAddress.split(separator: "@").last.map(String.init) ?? "localhost"
    }
}
