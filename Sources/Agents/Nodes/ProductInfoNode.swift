import ChatModel
import Foundation
import Webshop

/// Answers questions about products from the catalog: cards for what matches, and a short answer about
/// stock, price, size, colour, warranty or compatibility of the best match, from its data.
struct ProductInfoNode: AgentNode {
    let name = AgentType.productInfo.rawValue
    let resources: AgentResources
    let webshop: any Webshop

    private var cards: ProductCards { ProductCards(resources: resources) }

    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.answeredBy = .productInfo
        turn.memory.awaiting = nil
        let language = turn.language
        if let payload = turn.payload {
            if payload.hasPrefix("ADD_TO_CART:") {
                guard let product = try await webshop.product(sku: String(payload.dropFirst("ADD_TO_CART:".count))) else {
                    turn.say(resources.text("add_to_cart_unknown", language))
                    return NodeStep("add_to_cart:unknown", next: "output_guardrails")
                }
                turn.say(resources.text("add_to_cart", language, ["name": product.name, "url": product.url ?? ""]))
                return NodeStep("add_to_cart", next: "output_guardrails")
            }
            if payload == "MENU_PRODUCTS" || payload.hasPrefix("ROUTE:") {
                turn.say(resources.text("product_ask", language))
                return NodeStep("asked", next: "output_guardrails")
            }
        }
        if turn.route?.reason == "follow_up", let sku = turn.memory.lastProducts.first, let last = try await webshop.product(sku: sku) {
            return try await followUp(on: last, &turn)
        }
        let query = ProductQuery(turn.text, minPrice: turn.slots.minPrice, maxPrice: turn.slots.maxPrice, limit: ProductCards.limit)
        var matches = try await webshop.search(query)
        if matches.isEmpty, turn.slots.maxPrice != nil || turn.slots.minPrice != nil {
            matches = try await webshop.search(ProductQuery(turn.text, limit: ProductCards.limit))
        }
        guard let best = matches.first?.product else {
            turn.say(resources.text("product_none", language), quickReplies: [
                QuickReply(title: resources.text("menu_recommendation", language), payload: "ROUTE:recommendation"),
                QuickReply(title: resources.text("menu_human", language), payload: "HANDOFF"),
            ])
            turn.confidence = min(turn.confidence, 0.4)
            return NodeStep("none", next: "output_guardrails")
        }
        let products = matches.map(\.product)
        if !best.inStock {
            return try await outOfStock(best, &turn)
        }
        if let fact = fact(about: best, turn) { turn.say(fact) }
        turn.replies.append(Reply(text: resources.text("products_found", language), cards: cards.cards(products, language: language, at: turn.now)))
        turn.memory.lastProducts = products.prefix(ProductCards.limit).map(\.sku)
        return NodeStep("found:\(products.count)", next: "output_guardrails")
    }

    /// The best match is out of stock: it is shown and said so (with when it is expected, where the feed
    /// has it), then in-stock products of its category, other models, closest in price.
    private func outOfStock(_ product: Product, _ turn: inout Turn) async throws -> NodeStep {
        let language = turn.language
        var values = ["name": product.name]
        if let expected = product.parameter(Self.expectedParameters) { values["expected"] = expected }
        turn.say(resources.text("fact_out_of_stock", language, values))
        let alternatives = try await ProductAlternatives(webshop: webshop).closestInPrice(to: product, at: turn.now)
        turn.replies.append(Reply(cards: cards.cards([product], language: language, at: turn.now)))
        if !alternatives.isEmpty {
            turn.replies.append(Reply(
                text: resources.text("stock_alternatives", language), cards: cards.cards(alternatives, language: language, at: turn.now)))
        }
        turn.memory.lastProducts = ([product] + alternatives).prefix(ProductCards.limit).map(\.sku)
        return NodeStep(alternatives.isEmpty ? "out_of_stock" : "out_of_stock:alternatives:\(min(alternatives.count, ProductCards.limit))", next: "output_guardrails")
    }

    /// Product parameters a shop may keep the expected arrival of an out-of-stock product in.
    static let expectedParameters = ["Várható érkezés", "Várható beérkezés", "Érkezik", "Expected", "Expected arrival", "Back in stock"]

    /// "És fekete színben?": the product just shown, in the colour or size asked.
    private func followUp(on last: Product, _ turn: inout Turn) async throws -> NodeStep {
        let language = turn.language
        let wanted = turn.slots.colour ?? turn.slots.size ?? ""
        if let size = turn.slots.size {
            let sizes = last.variants.flatMap(\.values).map(\.name)
            let has = sizes.contains { $0.caseInsensitiveCompare(size) == .orderedSame }
            turn.say(resources.text(has ? "follow_up_size_yes" : "follow_up_size_no", language, [
                "name": last.name, "size": size, "sizes": sizes.joined(separator: ", "),
            ]))
            if has { turn.replies.append(Reply(cards: [cards.card(last, language: language, at: turn.now)])) }
            return NodeStep(has ? "follow_up:size" : "follow_up:no_size", next: "output_guardrails")
        }
        let base = last.categoryLeaf ?? last.name
        var matches = try await webshop.search(ProductQuery("\(base) \(wanted)", limit: ProductCards.limit)).map(\.product)
        matches = matches.filter { product in
            product.parameter("Szín", "Color", "Colour").map { TextFolding.fold($0).contains(TextFolding.fold(wanted)) } ?? false
        }
        let sameKind = matches.filter { $0.brand == last.brand }
        let found = sameKind.isEmpty ? matches : sameKind + matches.filter { $0.brand != last.brand }
        guard !found.isEmpty else {
            turn.say(resources.text("follow_up_colour_none", language, ["name": last.name, "colour": wanted]))
            return NodeStep("follow_up:none", next: "output_guardrails")
        }
        turn.replies.append(Reply(
            text: resources.text("follow_up_colour", language, ["colour": wanted, "kind": base.lowercased()]),
            cards: cards.cards(found, language: language, at: turn.now)))
        turn.memory.lastProducts = found.prefix(ProductCards.limit).map(\.sku)
        return NodeStep("follow_up:\(found.count)", next: "output_guardrails")
    }

    /// A sentence answering what the customer asked about `product`, when the question names stock,
    /// price, size, colour, warranty or compatibility.
    private func fact(about product: Product, _ turn: Turn) -> String? {
        let words = turn.normalized
        let language = turn.language
        var values = ["name": product.name]
        if words.contains(anyPrefix: ["raktar", "keszlet", "kaphato", "kapni", "stock", "available"]) {
            if let stock = product.stock, product.inStock { values["count"] = "\(Int(stock))" }
            return resources.text(product.inStock ? "fact_in_stock" : "fact_out_of_stock", language, values)
        }
        if words.contains(anyPrefix: ["mennyibe", "ara", "arat", "ar", "price", "cost", "much", "akcio", "sale"]) {
            values["price"] = ProductCards.forints(product.currentPrice(at: turn.now))
            if product.salePrice(at: turn.now) != nil { values["regular"] = ProductCards.forints(product.price) }
            return resources.text("fact_price", language, values)
        }
        if words.contains(anyPrefix: ["meret", "size"]) || turn.slots.size != nil {
            let sizes = product.variants.flatMap(\.values).map(\.name)
            guard !sizes.isEmpty else { return nil }
            values["sizes"] = sizes.joined(separator: ", ")
            return resources.text("fact_sizes", language, values)
        }
        if words.contains(anyPrefix: ["szin", "colour", "color"]) || turn.slots.colour != nil {
            guard let colour = product.parameter("Szín", "Color", "Colour") else { return nil }
            values["colour"] = colour
            return resources.text("fact_colour", language, values)
        }
        if words.contains(anyPrefix: ["garanci", "warrant", "jotall"]) {
            guard let warranty = product.parameter("Garancia", "Warranty") else { return nil }
            values["warranty"] = warranty
            return resources.text("fact_warranty", language, values)
        }
        if words.contains(anyPrefix: ["kompatib", "compatib", "hasznalhato", "mukodik", "works", "fits", "illeszked"]) {
            guard !product.descriptionText.isEmpty else { return nil }
            values["description"] = product.descriptionText
            return resources.text("fact_description", language, values)
        }
        return nil
    }
}
