import Foundation

/// Questions customers ask about the generated catalog, the way they type them: bare names and model
/// numbers, shorthands, one- and two-letter typos, no accents, everyday words for the catalog's, English
/// and mixed, generic plurals, out-of-stock products, budgets, "similar to", "goes with", "cheaper than".
/// Each has the products that answer it. A fourth of them, drawn at random, is held out: tuning never
/// looks at it.
struct ShopQuestions {
    enum Kind: String {
        case product, recommendation
    }

    struct Question {
        var text: String
        var kind: Kind
        /// How it was written (bare, typo, shorthand…), to see which ways fail.
        var style: String
        /// Skus any of which answers it within the top three.
        var answers: Set<String>
        var heldOut: Bool
    }

    let questions: [Question]

    init(catalog: ShopCatalog, products: Int = 240, recommendations: Int = 120) {
        var random = SplitMix(seed: 11)
        // Which questions are held out is drawn apart from how they are written, so every way is in both parts.
        var holdOut = SplitMix(seed: 12)
        let items = catalog.items
        let families = ShopCatalog.families
        func pick<T>(_ list: [T]) -> T { list[random.next(list.count)] }
        func modelSkus(_ item: ShopCatalog.Item) -> Set<String> {
            Set(items.filter { $0.family == item.family && $0.model == item.model }.map(\.sku))
        }
        func lineSkus(_ item: ShopCatalog.Item) -> Set<String> {
            let family = families[item.family]
            return Set(items.filter { families[$0.family].brand == family.brand && families[$0.family].line == family.line }.map(\.sku))
        }
        func typo(_ word: String) -> String {
            var letters = Array(word)
            guard letters.count >= 4 else { return word }
            let at = 1 + random.next(letters.count - 2)
            switch random.next(3) {
            case 0: letters.remove(at: at)
            case 1: letters.swapAt(at, at - 1)
            default: letters[at] = pick(Array("aeioszrtn"))
            }
            return String(letters)
        }
        func plain(_ text: String) -> String {
            text.folding(options: [.diacriticInsensitive], locale: nil).lowercased()
        }

        var questions: [Question] = []
        let styles = ["bare", "plain", "shorthand", "typo brand", "typo noun", "synonym", "question", "english", "capacity", "generic plural",
                      "back in stock", "mixed"]
        var index = 0
        while questions.count < products {
            let style = styles[index % styles.count]
            index += 1
            var item = pick(items)
            if style == "back in stock" {
                guard let missing = items.filter({ $0.stock == 0 }).randomElement(using: &random) else { continue }
                item = missing
            }
            if style == "capacity" {
                guard let withCapacity = items.filter({ $0.capacity != nil }).randomElement(using: &random) else { continue }
                item = withCapacity
            }
            let family = families[item.family]
            let model = family.models[item.model]
            let full = "\(family.brand) \(family.line) \(model.name)"
            var answers = modelSkus(item)
            let text: String
            switch style {
            case "bare": text = full
            case "plain": text = plain("\(family.line) \(model.name)")
            case "shorthand": text = pick(model.shorthands)
            case "typo brand": text = "\(typo(family.brand)) \(family.line) \(model.name)"
            case "typo noun": text = "\(typo(family.noun)) \(family.brand) \(model.name)"
            case "synonym": text = "\(pick(family.synonyms)) \(family.brand) \(family.line) \(model.name)"
            case "question":
                text = pick(["Van \(full)?", "Mennyibe kerül a \(full)?", "Kapható még a \(full)?", "Raktáron van a \(full)?"])
            case "english": text = pick(["Do you have the \(full)?", "how much is the \(family.line) \(model.name)", "\(full) price?"])
            case "capacity":
                let capacity = item.capacity!.replacingOccurrences(of: " GB", with: "")
                text = "\(family.line) \(model.name) \(capacity)\(pick(["giga", "gb", " GB", " giga"]))"
                answers = Set(items.filter { $0.family == item.family && $0.model == item.model && $0.capacity == item.capacity }.map(\.sku))
            case "generic plural":
                text = "\(family.brand) \(family.line) \(pick(["termékek", "készletek", "modellek", "products"]))"
                answers = lineSkus(item)
            case "back in stock":
                text = pick(["Mikor lesz újra \(full)?", "Mikor jön \(family.line) \(model.name)?", "When is the \(full) back in stock?"])
            default: text = "van \(plain(family.noun)) \(family.brand.lowercased()) \(plain(model.name))? a \(pick(["fiamnak", "feleségemnek", "irodába"]))"
            }
            questions.append(Question(text: text, kind: .product, style: style, answers: answers, heldOut: holdOut.next(4) == 0))
        }

        let recommendationStyles = ["budget", "budget english", "similar", "goes with", "cheaper"]
        index = 0
        while questions.count < products + recommendations {
            let style = recommendationStyles[index % recommendationStyles.count]
            index += 1
            let item = pick(items)
            let family = families[item.family]
            let category = family.category
            let inCategory = items.filter { families[$0.family].category == category && $0.stock > 0 }
            let full = "\(family.brand) \(family.line) \(family.models[item.model].name)"
            let text: String
            var answers: Set<String>
            switch style {
            case "budget", "budget english":
                let prices = inCategory.map(\.price).sorted()
                guard prices.count > 2 else { continue }
                let budget = (prices[prices.count / 2] / 10_000 + 1) * 10_000
                answers = Set(inCategory.filter { $0.price <= budget }.map(\.sku))
                text = style == "budget"
                    ? pick(["Ajánlj egy \(family.accusative) \(budget / 1000) ezer forint alatt", "Milyen \(family.accusative) ajánlasz \(budget / 1000) ezerig?",
                            "\(family.noun) kellene max \(budget / 1000)e ft"])
                    : "Can you recommend a \(family.english) under \(budget) Ft?"
            case "similar":
                answers = Set(inCategory.filter {
                    !($0.family == item.family && $0.model == item.model) && Double($0.price) >= Double(item.price) * 0.5
                        && Double($0.price) <= Double(item.price) * 1.5
                }.map(\.sku))
                text = pick(["Valami hasonlót ajánlanál, mint a \(full)?", "something similar to the \(full)", "\(full) helyett mi jó még?"])
            case "goes with":
                let companions = ShopCatalog.companions[category] ?? []
                guard !companions.isEmpty else { continue }
                answers = Set(items.filter { companions.contains(families[$0.family].category) && $0.stock > 0 }.map(\.sku))
                text = pick(["Mi illik a \(full) mellé?", "Mit vegyek még a \(full) mellé?", "what goes well with the \(full)?"])
            default:
                answers = Set(inCategory.filter { $0.price < item.price }.map(\.sku))
                guard !answers.isEmpty else { continue }
                text = pick(["Van olcsóbb a \(full)-nál?", "Mutass olcsóbbat, mint a \(full)", "anything cheaper than the \(full)?"])
            }
            guard !answers.isEmpty else { continue }
            questions.append(Question(text: text, kind: .recommendation, style: style, answers: answers, heldOut: holdOut.next(4) == 0))
        }
        self.questions = questions
    }
}

extension Array {
    /// A random element drawn from `random` (deterministic).
    fileprivate func randomElement(using random: inout SplitMix) -> Element? {
        isEmpty ? nil : self[random.next(count)]
    }
}
