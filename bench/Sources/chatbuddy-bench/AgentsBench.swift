import Agents
import ArgumentParser
import ChatModel
import Foundation
import Webshop

/// Agent graph benchmark: routing accuracy on the held-out fifth of the labeled set; routing, search top-3
/// and recommendation top-3 on the held-out part of the questions about a generated shop catalog; and time
/// per turn of the embedded graph over the sample catalog (no network).
struct AgentsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents",
        abstract: "Measure the embedded agent graph: held-out routing accuracy and time per turn.")

    @OptionGroup var shopOptions: ShopOptions

    @Option(help: "The UNAS feed the graph answers from.")
    var catalog = "demo/catalog/sample-unas.xml"

    @Option(help: "Turns to time (each a labeled message, or a step of a scripted dialogue).")
    var turns = 20_000

    @Flag(help: "Also list the misses of the tuning part of the questions (never the held-out part's).")
    var tuningMisses = false

    @Option(help: "Only explain how the graph answers this text over the generated catalog (repeatable).")
    var ask: [String] = []

    @Option(help: "Only print what the catalog search finds for this text in the generated catalog (repeatable).")
    var search: [String] = []

    func run() async throws {
        guard ask.isEmpty, search.isEmpty else { return try await explain(ask, searches: search) }
        let split = LabeledMessage.split(LabeledMessage.builtIn)
        let trainingStarted = ContinuousClock.now
        let classifier = IntentClassifier(training: split.training)
        print("trained on \(split.training.count) messages in \(ContinuousClock.now - trainingStarted)")
        let evaluation = await RoutingEvaluation.run(split.heldOut, classifier: classifier)
        for (message, routed) in evaluation.misses {
            print("  routed \(message.intent) → \(routed): \(message.text)")
        }
        print("5-fold cross-validation accuracy of the classifier alone: \(Self.percent(Self.crossValidation(LabeledMessage.builtIn)))")
        print("held-out routing accuracy: \(evaluation.correct)/\(evaluation.total) = \(Self.percent(evaluation.accuracy))")
        try await evaluateShopQuestions()
        try await timeTurns()
    }

    /// Asks the embedded graph every question about a generated catalog (imported from its feed as a shop's
    /// would be) and scores the held-out part: routed to the right agent, an answering product in the top three.
    func evaluateShopQuestions() async throws {
        let catalog = ShopCatalog(count: shopOptions.shopProducts)
        let (graph, shop) = try await shopGraph(catalog)
        let questions = ShopQuestions(catalog: catalog).questions
        let key = ConversationKey(channel: .widget, accountID: "bench", userID: "bench")

        struct Tally {
            var routed = 0, found = 0, total = 0
        }
        var tallies: [String: Tally] = [:]
        var styles: [String: Tally] = [:]
        print("\(questions.count) questions about \(shop.catalog.current.products.count) generated products (\(questions.filter(\.heldOut).count) held out)")
        for question in questions {
            let state = ConversationState(
                key: key, mode: .bot, locale: LanguageDetector.detect(question.text), history: [],
                event: InboundEvent(conversation: key, platformID: "q", timestamp: Date(), content: .text(question.text)))
            let response = try await graph.respond(to: state)
            let expected: AgentType = question.kind == .product ? .productInfo : .recommendation
            let shown = response.replies.flatMap { $0.cards ?? [] }.compactMap(\.sku).prefix(3)
            let routed = response.agent == expected
            let found = shown.contains { question.answers.contains($0) }
            if !question.heldOut {
                if tuningMisses, !routed || !found {
                    print("  [\(question.style)] \(question.text) → \(response.agent.rawValue), \(Array(shown))")
                }
                continue
            }
            for name in [question.kind.rawValue, "all"] {
                tallies[name, default: Tally()].total += 1
                if routed { tallies[name, default: Tally()].routed += 1 }
                if found { tallies[name, default: Tally()].found += 1 }
            }
            let style = "\(question.kind.rawValue): \(question.style)"
            styles[style, default: Tally()].total += 1
            if found { styles[style, default: Tally()].found += 1 }
        }
        func share(_ part: Int, _ whole: Int) -> String { "\(part)/\(whole) = \(Self.percent(whole == 0 ? 0 : Double(part) / Double(whole)))" }
        let all = tallies["all"] ?? Tally(), product = tallies["product"] ?? Tally(), recommendation = tallies["recommendation"] ?? Tally()
        print("held-out shop questions: routing \(share(all.routed, all.total))")
        print("  search top-3: \(share(product.found, product.total))")
        print("  recommendation top-3: \(share(recommendation.found, recommendation.total))")
        for (style, tally) in styles.sorted(by: { $0.key < $1.key }) {
            print("    \(style): \(share(tally.found, tally.total))")
        }
    }

    /// Prints, for each text, the classifier's guess, how much of it names a product, the route, the nodes
    /// and the products shown.
    func explain(_ texts: [String], searches: [String]) async throws {
        let (graph, shop) = try await shopGraph(ShopCatalog(count: shopOptions.shopProducts))
        for text in searches {
            print("search \(text)")
            for match in try await shop.search(ProductQuery(text, limit: 5)) {
                print("    \(match.product.sku) \(match.product.name) \(String(format: "%.3f", match.score))")
            }
        }
        let key = ConversationKey(channel: .widget, accountID: "bench", userID: "bench")
        for text in texts {
            let prediction = IntentClassifier.builtIn.predict(TextNormalizer.normalize(text))
            let coverage = try await shop.nameCoverage(text)
            let state = ConversationState(
                key: key, mode: .bot, locale: LanguageDetector.detect(text), history: [],
                event: InboundEvent(conversation: key, platformID: "q", timestamp: Date(), content: .text(text)))
            let response = try await graph.respond(to: state)
            var unnamed: [String] = []
            for word in text.split(separator: " ") where try await shop.nameCoverage(String(word)) < 1 { unnamed.append(String(word)) }
            print("\(text)\n  classifier \(prediction.intent) \(String(format: "%.2f", prediction.confidence)), name coverage \(String(format: "%.2f", coverage)), naming nothing: \(unnamed)")
            print("  → \(response.agent.rawValue): \(response.trace.map { "\($0.node) \($0.outcome)" }.joined(separator: ", "))")
            for card in response.replies.flatMap({ $0.cards ?? [] }) {
                let product = try await shop.product(sku: card.sku ?? "")
                print("    \(card.sku ?? "-") \(card.title) \(product.map { "\($0.category ?? "") \($0.price) Ft\($0.inStock ? "" : " (out of stock)")" } ?? "")")
            }
            for reply in response.replies { if let text = reply.text { print("  \"\(text.prefix(160))\"") } }
        }
    }

    /// The embedded graph over a generated catalog, imported from its feed as a shop's would be.
    func shopGraph(_ catalog: ShopCatalog) async throws -> (AgentGraph, UNASWebshop) {
        let products = try catalog.imported()
        let resources = try await AgentResources.load(directory: shopOptions.templates, overlay: nil)
        let shop = UNASWebshop(catalog: Catalog(synonyms: resources.searchSynonyms), client: nil)
        _ = shop.catalog.replace(products)
        return (try EmbeddedAgents.graph(resources: resources, webshop: shop), shop)
    }

    /// Accuracy over five folds of the whole set (each message predicted by a model that did not see it).
    static func crossValidation(_ messages: [LabeledMessage]) -> Double {
        var correct = 0
        for fold in 0..<5 {
            let training = messages.enumerated().filter { $0.offset % 5 != fold }.map(\.element)
            let test = messages.enumerated().filter { $0.offset % 5 == fold }.map(\.element)
            let classifier = IntentClassifier(training: training)
            for message in test {
                let prediction = classifier.predict(TextNormalizer.normalize(message.text))
                if prediction.intent == message.intent { correct += 1 }
            }
        }
        return Double(correct) / Double(messages.count)
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.1f%%", fraction * 100)
    }

    /// Times `turns` turns of the embedded graph (no network): every labeled message as a first message, and
    /// multi-turn dialogues that carry memory (follow-ups, order questions, recommendations).
    func timeTurns() async throws {
        let reader = try UNASFeedReader(path: catalog)
        var products: [Product] = []
        while let entry = try reader.next() { if let product = entry.product { products.append(product) } }
        let shop = UNASWebshop(catalog: Catalog(), client: nil)
        _ = shop.catalog.replace(products)
        let graph = try EmbeddedAgents.graph(resources: try await AgentResources.load(directory: shopOptions.templates, overlay: "demo"), webshop: shop)
        let dialogues: [[String]] = [
            ["Szia!", "Van Adidas pólótok?", "és fekete színben?", "Van M-es méretben?", "Köszönöm!"],
            ["Hol tart a rendelésem?", "1000-1000123", "Szeretném lemondani a rendelésemet"],
            ["Ajánlj egy laptopot 200 ezer forint alatt", "van olcsóbb?", "Mi illik hozzá?"],
            ["Van most valami akció?", "Érvényes még az UDV10 kupon?", "Iratkozzatok le a hírlevélről"],
            ["What should I buy for my 10 year old son?", "anything cheaper?", "Are you a bot?"],
        ]
        let key = ConversationKey(channel: .widget, accountID: "bench", userID: "bench")
        var timings: [Duration] = []
        timings.reserveCapacity(turns)
        var memory = ConversationMemory()
        var script = LabeledMessage.builtIn.map { [$0.text] } + dialogues
        script.shuffle()
        var index = 0
        while timings.count < turns {
            let dialogue = script[index % script.count]
            index += 1
            memory = ConversationMemory()
            for text in dialogue where timings.count < turns {
                let state = ConversationState(
                    key: key, mode: .bot, locale: LanguageDetector.detect(text), history: [],
                    event: InboundEvent(conversation: key, platformID: "b\(timings.count)", timestamp: Date(), content: .text(text)),
                    memory: memory)
                let started = ContinuousClock.now
                let response = try await graph.respond(to: state)
                timings.append(ContinuousClock.now - started)
                if let next = response.memory { memory = next }
            }
        }
        timings.sort()
        func at(_ fraction: Double) -> String {
            let value = timings[min(timings.count - 1, Int(Double(timings.count) * fraction))]
            return String(format: "%.3f ms", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000)
        }
        print("embedded graph, \(timings.count) turns over \(products.count) products: p50 \(at(0.5)), p99 \(at(0.99)), max \(at(1))")
    }
}
