import ChatModel
import Foundation
import Webshop

/// Suggests products: within the budget, for the audience named, in stock first; something cheaper than,
/// similar to (same category and price band) or going with the product the message names or the one
/// just shown.
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
        let asksCheaper = turn.payload?.hasPrefix("CHEAPER") == true || words.contains(anyPrefix: Coordinator.cheaperWords)
        let asksSimilar = words.contains(anyPrefix: Self.similarWords)
        let asksTogether = turn.payload?.hasPrefix("TOGETHER") == true || words.contains(anyPrefix: Self.togetherWords)
            || words.contains(phrase: "goes well with")
        if asksCheaper || asksSimilar || asksTogether, turn.payload == nil, let named = try await namedProduct(turn) {
            // "Cheaper than the X", "similar to the X": the product the message names, not the last one shown.
            last = named
        }
        if let last, asksCheaper { return try await cheaper(than: last, &turn) }
        if let last, asksSimilar { return try await similar(to: last, &turn) }
        if let last, asksTogether { return try await together(with: last, &turn) }
        if turn.payload?.hasPrefix("ROUTE:") == true {
            turn.say(resources.text("recommend_ask", language))
            return NodeStep("asked", next: "output_guardrails")
        }
        let slots = turn.slots
        let terms = try await searchTerms(words.words)
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
        if found.isEmpty, slots.maxPrice != nil || slots.minPrice != nil, try await webshop.nameCoverage(text) == 0 {
            // Only a budget ("valami szépet 20 ezer alatt"): anything within it. A kind of product with nothing
            // within the budget ("laptop 50 ezer alatt") is told so, not answered with another kind.
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

    /// The words saying what is wanted: without request, money and audience words, except a request word that
    /// names a product with the next word ("gift card").
    private func searchTerms(_ words: [String]) async throws -> [String] {
        var terms: [String] = []
        for (index, word) in words.enumerated() {
            guard word.first.map({ !$0.isNumber }) ?? false, !Self.moneyWords.contains(word), !Self.audienceWords.contains(where: { word.hasPrefix($0) })
            else { continue }
            if Self.requestWords.contains(where: { Self.isRequestWord(word, $0) }) {
                guard index + 1 < words.count, try await webshop.nameCoverage("\(word) \(words[index + 1])") >= 1,
                    try await webshop.nameCoverage(words[index + 1]) < 1
                else { continue }
            }
            terms.append(word)
        }
        return terms
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

    /// The product the message names besides its request words, when its words name one.
    private func namedProduct(_ turn: Turn) async throws -> Product? {
        let ignored = Self.requestWords + Coordinator.cheaperWords + Self.similarWords + Self.togetherWords
        let terms = turn.normalized.words.filter { word in
            !ignored.contains { $0.count <= 3 ? word == $0 : word.hasPrefix($0) } && !Self.moneyWords.contains(word)
        }
        let text = terms.joined(separator: " ")
        guard !terms.isEmpty, try await webshop.nameCoverage(text) >= Self.namedCoverage else { return nil }
        return try await webshop.search(ProductQuery(text, limit: 1)).first?.product
    }

    private var alternatives: ProductAlternatives { ProductAlternatives(webshop: webshop) }

    /// Other models of the category cheaper than every variant of the product's model, the closest in price
    /// first; when there are none, its own cheaper variants (a smaller capacity), the cheapest first.
    private func cheaper(than named: Product, _ turn: inout Turn) async throws -> NodeStep {
        let now = turn.now
        let variants = try await alternatives.variants(of: named).sorted { $0.currentPrice(at: now) < $1.currentPrice(at: now) }
        var product = variants.first ?? named
        var found = try await alternatives.inCategory(of: product, maxPrice: product.currentPrice(at: now) - 1)
            .sorted { $0.currentPrice(at: now) > $1.currentPrice(at: now) }
        if found.isEmpty {
            product = named
            found = variants.filter { $0.inStock && $0.currentPrice(at: now) < named.currentPrice(at: now) }
        }
        let price = product.currentPrice(at: now)
        if found.isEmpty, product.category == nil {
            found = try await webshop.search(ProductQuery(product.name, maxPrice: price - 1, inStockOnly: true, limit: ProductCards.limit))
                .map(\.product).filter { $0.sku != product.sku }
        }
        let values = ["name": product.name, "price": ProductCards.forints(price)]
        guard !found.isEmpty else {
            turn.say(resources.text("recommend_cheaper_none", turn.language, values))
            return NodeStep("cheaper:none", next: "output_guardrails")
        }
        turn.replies.append(Reply(text: resources.text("recommend_cheaper", turn.language, values), cards: cards.cards(found, language: turn.language, at: turn.now)))
        turn.memory.lastProducts = found.prefix(ProductCards.limit).map(\.sku)
        return NodeStep("cheaper:\(found.count)", next: "output_guardrails")
    }

    /// Same category and price band (half to one and a half times its price), closest price first.
    private func similar(to product: Product, _ turn: inout Turn) async throws -> NodeStep {
        let price = product.currentPrice(at: turn.now)
        let found = try await alternatives.closestInPrice(to: product, minPrice: price * 0.5, maxPrice: price * 1.5, at: turn.now)
        let values = ["name": product.name]
        guard !found.isEmpty else {
            turn.say(resources.text("recommend_none", turn.language, values))
            return NodeStep("similar:none", next: "output_guardrails")
        }
        turn.replies.append(Reply(text: resources.text("recommend_found", turn.language), cards: cards.cards(found, language: turn.language, at: turn.now)))
        turn.memory.lastProducts = found.prefix(ProductCards.limit).map(\.sku)
        return NodeStep("similar:\(found.count)", next: "output_guardrails")
    }

    /// The shop's pairings for the product's category first; then, from the same department (the
    /// category's first level), cheaper products of other categories, one category at a time, the
    /// categories that cost least first (accessories go with a product, a second such product does not).
    private func together(with product: Product, _ turn: inout Turn) async throws -> NodeStep {
        let pairs = product.categoryLeaf.flatMap { resources.offers.together[TextFolding.fold($0)] } ?? []
        var found: [Product] = []
        for words in pairs where found.count < ProductCards.limit {
            let more = try await webshop.search(ProductQuery(words, inStockOnly: true, limit: 2)).map(\.product)
            found += more.filter { candidate in candidate.sku != product.sku && !found.contains { $0.sku == candidate.sku } }
        }
        if found.count < ProductCards.limit, let department = product.category?.split(separator: "|").first.map(String.init),
            product.category?.contains("|") == true
        {
            let price = product.currentPrice(at: turn.now)
            let query = ProductQuery("", maxPrice: price, inStockOnly: true, category: department, limit: ProductAlternatives.candidateLimit)
            let candidates = try await webshop.search(query).map(\.product).filter { $0.inStock && $0.category != product.category }
            var byCategory: [String: [Product]] = [:]
            for candidate in candidates { byCategory[candidate.category ?? "", default: []].append(candidate) }
            let now = turn.now
            let medians = byCategory.mapValues { products in products.map { $0.currentPrice(at: now) }.sorted()[products.count / 2] }
            let order = byCategory.keys.sorted { (medians[$0, default: 0], $0) < (medians[$1, default: 0], $1) }
            var round = 0
            while found.count < ProductCards.limit, order.contains(where: { (byCategory[$0]?.count ?? 0) > round }) {
                for key in order where found.count < ProductCards.limit {
                    if let candidate = byCategory[key]?.dropFirst(round).first, !found.contains(where: { $0.sku == candidate.sku }) {
                        found.append(candidate)
                    }
                }
                round += 1
            }
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

    /// Whether `word` is the request word `stem` with at most a suffix ("ajandekot" yes, "ajandekkartyat" no:
    /// a compound naming a product keeps its place).
    static func isRequestWord(_ word: String, _ stem: String) -> Bool {
        stem.count <= 3 ? word == stem : word.hasPrefix(stem) && word.count <= stem.count + 4
    }

    private static func sku(in payload: String) -> String? {
        let parts = payload.split(separator: ":", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }

    static let togetherWords = ["illik", "melle", "hozza", "kiegeszit", "together", "accessor", "goes"]
    /// Words of asking for something like a product (folded beginnings).
    static let similarWords = Coordinator.alikeWords + ["like"]
    /// How much of the rest of a message must name a product for it to be "the X" of "cheaper than the X".
    static let namedCoverage = 0.6

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
