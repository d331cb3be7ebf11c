import Agents
import ArgumentParser
import Foundation
import Webshop

/// Compares ways of finding products through misspelled words: none, the search index's typo tolerance
/// on the catalog's own vocabulary, Hunspell's suggestions (hunspell-hu) for words the catalog does not
/// know, and both; on the typo questions about the generated shop catalog and on misspelled product
/// words, with the clean questions to show what a correction breaks, and the time per search.
struct SpellingBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spelling",
        abstract: "Compare the catalog's typo tolerance with Hunspell's suggestions on misspelled questions.")

    @OptionGroup var shop: ShopOptions

    @Option(help: "The Hunspell dictionary, without .aff/.dic.")
    var dictionary = "/usr/share/hunspell/hu_HU"

    @Flag(help: "List the misspelled words each correction misses.")
    var misses = false

    func run() async throws {
        let (catalog, products, synonyms) = try await shop.load()
        guard let hunspell = HunspellChecker(dictionary: dictionary) else { throw BenchError("no Hunspell dictionary at \(dictionary)") }

        let all = ShopQuestions(catalog: catalog).questions.filter { $0.kind == .product }
        let typos = all.filter { $0.style.hasPrefix("typo") }
        let clean = all.filter { !$0.style.hasPrefix("typo") }
        let misspelled = Self.misspelledWords(catalog)
        print("\(typos.count) typo questions, \(misspelled.count) misspelled product words, \(clean.count) other questions, \(products.count) products")
        print("correction          typo questions   misspelled words   other questions   search p50 / p99")

        let tolerant = SearchIndex(products: products, synonyms: synonyms)
        let strict = SearchIndex(products: products, synonyms: synonyms, correctingTypos: false)
        let variants: [(String, SearchIndex, Bool)] = [
            ("none", strict, false), ("catalog vocabulary", tolerant, false), ("Hunspell", strict, true), ("both", tolerant, true),
        ]
        for (name, index, asksHunspell) in variants {
            var timings: [Duration] = []
            func found(_ questions: [ShopQuestions.Question]) -> (Int, Int) {
                var hits = 0
                for question in questions {
                    let started = ContinuousClock.now
                    let text = asksHunspell ? Self.corrected(question.text, index: index, hunspell: hunspell) : question.text
                    let top = index.search(ProductQuery(text, limit: 3)).map(\.product.sku)
                    timings.append(ContinuousClock.now - started)
                    if top.contains(where: question.answers.contains) {
                        hits += 1
                    } else if misses, question.style == "misspelled" {
                        print("  \(name) misses \(question.text) (read as \(text))")
                    }
                }
                return (hits, questions.count)
            }
            let results = [found(typos), found(misspelled), found(clean)]
            timings.sort()
            func ms(_ value: Duration) -> String { String(format: "%.3f", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000) }
            func share(_ part: (Int, Int)) -> String { String(format: "%3d/%3d %5.1f%%", part.0, part.1, 100 * Double(part.0) / Double(max(1, part.1))) }
            print(name.padding(toLength: 18, withPad: " ", startingAt: 0), results.map(share).joined(separator: "    "),
                "  \(ms(timings[timings.count / 2])) / \(ms(timings[timings.count * 99 / 100])) ms")
        }
    }

    /// `text` with each word the index finds nothing for, and Hunspell says is misspelled, replaced by
    /// Hunspell's first suggestion.
    static func corrected(_ text: String, index: SearchIndex, hunspell: HunspellChecker) -> String {
        text.split(separator: " ").map { raw in
            let word = raw.trimmingCharacters(in: .punctuationCharacters)
            guard word.count > 2, !word.contains(where: \.isNumber), index.search(ProductQuery(word, limit: 1)).isEmpty,
                !hunspell.isCorrect(word), let suggestion = hunspell.suggestions(word).first
            else { return String(raw) }
            return suggestion
        }.joined(separator: " ")
    }

    /// The catalog's Hungarian product words (and their everyday synonyms) misspelled as people do: a letter
    /// left out, doubled, swapped with its neighbour or replaced, an accent dropped with it; two slips in
    /// long words. Each asks for the products of its kind.
    static func misspelledWords(_ catalog: ShopCatalog) -> [ShopQuestions.Question] {
        var random = SplitMix(seed: 21)
        var questions: [ShopQuestions.Question] = []
        var seen = Set<String>()
        for family in ShopCatalog.families where seen.insert(family.noun).inserted {
            let answers = Set(catalog.items.filter { ShopCatalog.families[$0.family].noun == family.noun }.map(\.sku))
            for slips in [1, 1, 1, family.noun.count >= 8 ? 2 : 1] {
                var letters = Array(family.noun)
                for _ in 0..<slips {
                    let at = 1 + random.next(letters.count - 2)
                    switch random.next(5) {
                    case 0: letters.remove(at: at)
                    case 1: letters.insert(letters[at], at: at)
                    case 2: letters.swapAt(at, at - 1)
                    case 3: letters[at] = Array("aeiolnrst")[random.next(9)]
                    default:
                        letters = Array(String(letters).folding(options: .diacriticInsensitive, locale: nil))
                        letters.remove(at: min(at, letters.count - 1))
                    }
                }
                questions.append(ShopQuestions.Question(text: String(letters), kind: .product, style: "misspelled", answers: answers, heldOut: true))
            }
        }
        return questions
    }
}
