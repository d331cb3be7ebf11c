import ChatModel
import Foundation
import Webshop

/// Product cards as the product and recommendation agents show them: image, price and sale price, stock,
/// a "Details" link and, when it can be bought, an "Add to cart" button.
public struct ProductCards: Sendable {
    /// Cards in one answer.
    public static let limit = 5

    let resources: AgentResources

    public init(resources: AgentResources) {
        self.resources = resources
    }

    /// Cards for the first products, at most `limit`.
    public func cards(_ products: [Product], language: Language, at date: Date) -> [Card] {
        products.prefix(Self.limit).map { card($0, language: language, at: date) }
    }

    /// One product's card.
    public func card(_ product: Product, language: Language, at date: Date) -> Card {
        var values = ["price": Self.forints(product.currentPrice(at: date))]
        if product.salePrice(at: date) != nil { values["regular"] = Self.forints(product.price) }
        if product.inStock { values["in_stock"] = "yes" }
        var buttons: [CardButton] = []
        if let url = product.url { buttons.append(.url(title: resources.text("button_details", language), url: url)) }
        if product.inStock {
            buttons.append(.postback(title: resources.text("button_add_to_cart", language), payload: "ADD_TO_CART:\(product.sku)"))
        }
        return Card(
            title: product.name, subtitle: resources.text("product_subtitle", language, values),
            imageURL: product.imageURL, url: product.url, sku: product.sku, category: product.categoryLeaf,
            buttons: buttons)
    }

    /// A gross price as Hungarian shops write it: "12 990 Ft".
    public static func forints(_ amount: Double) -> String {
        let digits = String(Int(amount.rounded()))
        var grouped = ""
        for (offset, digit) in digits.reversed().enumerated() {
            if offset > 0 && offset % 3 == 0 && digit != "-" { grouped.append(" ") }
            grouped.append(digit)
        }
        return String(grouped.reversed()) + " Ft"
    }
}

extension Product {
    /// The last level of the product's category (`Konyhai kisgépek`), or nil.
    var categoryLeaf: String? {
        category?.split(separator: "|").last.map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}
