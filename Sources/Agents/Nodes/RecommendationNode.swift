import ChatModel
import Foundation
import Webshop

/// Suggests products: within the budget, for the audience named, in stock first; something similar but
/// cheaper than the product just shown, or what goes with it.
struct RecommendationNode: AgentNode {
    let name = AgentType.recommendation.rawValue
    let resources: AgentResources
    let webshop: any Webshop

    private var cards: ProductCards { ProductCards(resources: resources) }

    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.answeredBy = .recommendation
        turn.memory.awaiting = nil
        let language = turn.language
        let words = turn.normalized
        var last: Product?
        if let sku = turn.payload.flatMap(Self.sku(in:)) ?? turn.memory.lastProducts.first { last = try await webshop.product(sku: sku) }
        if let last, turn.payload?.hasPrefix("CHEAPER") == true || words.contains(anyPrefix: Coordinator.cheaperWords + ["hasonlo", "similar"]) {
            return try await cheaper(than: last, &turn)
        }
        if let last, turn.payload?.hasPrefix("TOGETHER") == true || words.contains(anyPrefix: Self.togetherWords) || words.contains(phrase: "goes well with") {
            return try await together(with: last, &turn)
        }
        if turn.payload?.hasPrefix("ROUTE:") == true {
            turn.say(resources.text("recommend_ask", language))
            return NodeStep("asked", next: "output_guardrails")
        }
        let slots = turn.slots
        let terms = words.words.filter { word in
            !Self.requestWords.contains { $0.count <= 3 ? word == $0 : word.hasPrefix($0) } && word.first.map { !$0.isNumber } ?? false
                && !Self.moneyWords.contains(word) && !Self.audienceWords.contains { word.hasPrefix($0) }
        }
        let text = terms.joined(separator: " ")
        var tried: [String] = []
        for hint in slots.audience { tried.append("\(text) \(hint)") }
        tried.append(text)
        tried.append(contentsOf: terms.count > 1 ? terms : [])
        tried.append(contentsOf: slots.audience)
        var found: [Product] = []
        for candidate in tried where !candidate.trimmingCharacters(in: .whitespaces).isEmpty {
            found = try await search(candidate, turn)
            if !found.isEmpty { break }
        }
        if found.isEmpty, slots.maxPrice != nil || slots.minPrice != nil {
            found = try await search("", turn)
        }
        guard !found.isEmpty else {
            turn.say(resources.text(terms.isEmpty && slots.audience.isEmpty ? "recommend_ask" : "recommend_none", language))
            return NodeStep("none", next: "output_guardrails")
        }
        var values: [String: String] = [:]
        if let max = slots.maxPrice { values["budget"] = ProductCards.forints(max) }
        turn.replies.append(Reply(
            text: resources.text("recommend_found", language, values), cards: cards.cards(found, language: language, at: turn.now)))
        turn.memory.lastProducts = found.prefix(ProductCards.limit).map(\.sku)
        return NodeStep("found:\(found.count)", next: "output_guardrails")
    }

    /// Products for `text` within the turn's budget: in stock first, then the rest.
    private func search(_ text: String, _ turn: Turn) async throws -> [Product] {
        let query = ProductQuery(text, minPrice: turn.slots.minPrice, maxPrice: turn.slots.maxPrice, inStockOnly: true, brand: turn.slots.brand, limit: ProductCards.limit)
        var found = try await webshop.search(query).map(\.product)
        if found.count < ProductCards.limit {
            var all = query
            all.inStockOnly = false
            let more = try await webshop.search(all).map(\.product).filter { product in !found.contains { $0.sku == product.sku } }
            found += more.prefix(ProductCards.limit - found.count)
        }
        return found
    }

    private func cheaper(than product: Product, _ turn: inout Turn) async throws -> NodeStep {
        let price = product.currentPrice(at: turn.now)
        let kind = product.categoryLeaf ?? product.name
        let found = try await webshop.search(ProductQuery(kind, maxPrice: price - 1, inStockOnly: true, limit: ProductCards.limit))
            .map(\.product).filter { $0.sku != product.sku }
        let values = ["name": product.name, "price": ProductCards.forints(price)]
        guard !found.isEmpty else {
            turn.say(resources.text("recommend_cheaper_none", turn.language, values))
            return NodeStep("cheaper:none", next: "output_guardrails")
        }
        turn.replies.append(Reply(text: resources.text("recommend_cheaper", turn.language, values), cards: cards.cards(found, language: turn.language, at: turn.now)))
        turn.memory.lastProducts = found.prefix(ProductCards.limit).map(\.sku)
        return NodeStep("cheaper:\(found.count)", next: "output_guardrails")
    }

    private func together(with product: Product, _ turn: inout Turn) async throws -> NodeStep {
        let pairs = product.categoryLeaf.flatMap { resources.offers.together[TextFolding.fold($0)] } ?? []
        var found: [Product] = []
        for words in pairs where found.count < ProductCards.limit {
            let more = try await webshop.search(ProductQuery(words, inStockOnly: true, limit: 2)).map(\.product)
            found += more.filter { candidate in candidate.sku != product.sku && !found.contains { $0.sku == candidate.sku } }
        }
        let values = ["name": product.name]
        guard !found.isEmpty else {
            turn.say(resources.text("recommend_together_none", turn.language, values))
            return NodeStep("together:none", next: "output_guardrails")
        }
        turn.replies.append(Reply(text: resources.text("recommend_together", turn.language, values), cards: cards.cards(found, language: turn.language, at: turn.now)))
        turn.memory.lastProducts = found.prefix(ProductCards.limit).map(\.sku)
        return NodeStep("together:\(found.count)", next: "output_guardrails")
    }

    private static func sku(in payload: String) -> String? {
        let parts = payload.split(separator: ":", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }

    static let togetherWords = ["illik", "melle", "hozza", "kiegeszit", "together", "accessor", "goes"]
    /// Words of asking for advice, not of what is wanted (folded beginnings).
    static let requestWords = [
        "ajanl", "javasol", "valassz", "valaszt", "segit", "tud", "vegyek", "venn", "vasarol", "keres", "ajandek", "otlet",
        "legjobb", "legolcsobb", "legnepszerubb", "olcso", "jo", "valami", "mit", "mi", "melyik", "milyen", "kell", "kene",
        "szeretn", "nekem", "egy", "nak", "nek", "van", "lenne", "erdemes", "mutass", "kinek", "nem", "szamara",
        "recommend", "suggest", "choose", "pick", "help", "gift", "present", "best", "cheap", "good", "something",
        "what", "which", "should", "buy", "for", "me", "my", "need", "want", "show", "would", "you", "idea", "under",
        "below", "between", "and", "or", "es", "vagy", "alatt", "ig", "max", "kezdo", "beginner", "eves", "year", "old",
    ]
    static let moneyWords: Set<String> = ["ezer", "ezerig", "forint", "forintig", "ft", "ftig", "huf", "eur", "euro", "euros", "k", "e", "000"]
    /// Words naming who it is for (they become the audience hint, not search words).
    static let audienceWords = [
        "fiu", "fiam", "lany", "kislany", "kisfiu", "gyerek", "feleseg", "ferj", "baratno", "barato", "anyu", "apu", "anyam",
        "apam", "nagymam", "nagypap", "szuleim", "idos", "son", "daughter", "boy", "girl", "kid", "wife", "husband",
        "mom", "dad", "grandma", "grandpa", "student", "diak", "egyetemist", "parom", "partner", "teen",
    ]
}
