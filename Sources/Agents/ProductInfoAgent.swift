import ChatModel
import Foundation
import Webshop

/// Answers a product question from the shop's catalog: a short text and a card per product found
/// (image, price and sale price, stock, a "Details" link and an "Add to cart" button).
public struct ProductInfoAgent: Sendable {
    /// The template names this agent renders.
    public static let templateNames = ["products_found", "product_subtitle", "button_details", "button_add_to_cart"]
    /// Cards in one answer.
    public static let cardLimit = 5

    private let webshop: any Webshop
    private let templates: ReplyTemplates

    public init(webshop: any Webshop, templates: ReplyTemplates) {
        self.webshop = webshop
        self.templates = templates
    }

    /// The products matching `text` as cards, or nil when the catalog has nothing for it.
    public func answer(_ text: String, language: Language, at date: Date = Date()) async throws -> AgentResponse? {
        let matches = try await webshop.search(ProductQuery(text, limit: Self.cardLimit))
        guard !matches.isEmpty else { return nil }
        let cards = matches.map { card($0.product, language: language, at: date) }
        let reply = Reply(text: templates.text("products_found", in: language), cards: cards)
        return AgentResponse(replies: [reply], agent: .productInfo, confidence: 0.8)
    }

    private func card(_ product: Product, language: Language, at date: Date) -> Card {
        var values = ["price": Self.forints(product.currentPrice(at: date))]
        if product.salePrice(at: date) != nil { values["regular"] = Self.forints(product.price) }
        if product.inStock { values["in_stock"] = "yes" }
        var buttons: [CardButton] = []
        if let url = product.url { buttons.append(.url(title: templates.text("button_details", in: language), url: url)) }
        if product.inStock {
            buttons.append(.postback(title: templates.text("button_add_to_cart", in: language), payload: "ADD_TO_CART:\(product.sku)"))
        }
        return Card(
            title: product.name, subtitle: templates.text("product_subtitle", in: language, values),
            imageURL: product.imageURL, url: product.url, sku: product.sku, buttons: buttons)
    }

    /// A gross price as Hungarian shops write it: "12 990 Ft".
    static func forints(_ amount: Double) -> String {
        let digits = String(Int(amount.rounded()))
        var grouped = ""
        for (offset, digit) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 && digit != "-" { grouped.append(" ") }
            grouped.append(digit)
        }
        return String(grouped.reversed()) + " Ft"
    }
}
