import Agents
import ChatModel
import Foundation
import Webshop

/// The words and cards of messages nobody asked for, in the customer's language (`templates/<language>/`).
struct ProactiveComposer: Sendable {
    let templates: ReplyTemplates
    let cards: ProductCards
    let shop: any Webshop

    /// The reminder of a cart left without an order: its products as cards and the way back to it.
    func cartReminder(_ cart: ShopEvent, name: String?, language: Language, form: ProactiveChannels.Form, now: Date) async -> [Reply] {
        let url = cart.url ?? ""
        if case .template(let template) = form {
            return [Reply(template: TemplateReference(name: template, language: language.rawValue, parameters: [name ?? "", url]))]
        }
        var values = ["count": Self.count(cart.items.reduce(0) { $0 + $1.quantity }), "url": url]
        if let name, !name.isEmpty { values["name"] = name }
        return await [Reply(text: templates.text("abandoned_cart", in: language, values))] + productCards(cart.items, language: language, now: now)
    }

    /// An order's new status, with its tracking link and, when the order's cart is known, its products.
    func orderUpdate(
        _ update: ShopEvent, items: [ShopEvent.Item], name: String?, language: Language, form: ProactiveChannels.Form, now: Date
    ) async -> [Reply] {
        let order = update.orderID ?? ""
        if case .template(let template) = form {
            return [Reply(template: TemplateReference(name: template, language: language.rawValue, parameters: [name ?? "", order]))]
        }
        var values = ["order": order]
        if let name, !name.isEmpty { values["name"] = name }
        if let tracking = update.trackingURL { values["tracking_url"] = tracking }
        let text = templates.text("order_update_\(update.status ?? "confirmed")", in: language, values)
        return await [Reply(text: text)] + productCards(items, language: language, now: now)
    }

    /// The cart's products that the catalog knows, as cards (none when it knows none).
    private func productCards(_ items: [ShopEvent.Item], language: Language, now: Date) async -> [Reply] {
        var products: [Product] = []
        for item in items.prefix(ProductCards.limit) {
            if let product = try? await shop.product(sku: item.sku) { products.append(product) }
        }
        return products.isEmpty ? [] : [Reply(cards: cards.cards(products, language: language, at: now))]
    }

    /// A quantity as words show it: `2`, `1,5`.
    private static func count(_ quantity: Double) -> String {
        quantity == quantity.rounded() ? String(Int(quantity)) : String(quantity).replacingOccurrences(of: ".", with: ",")
    }
}
