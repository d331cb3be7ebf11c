import Agents
import ArgumentParser
import Foundation
import Webshop

/// Compares stemmers for the catalog search: today's hand-written Hungarian stemmer, Snowball's
/// (libstemmer), and both together, on the product questions about the generated shop catalog (search
/// alone, top three), with the time to build the index and to search.
struct StemmerBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stemmers",
        abstract: "Compare the hand-written Hungarian stemmer with Snowball's on the shop questions' search.")

    @OptionGroup var shop: ShopOptions

    func run() async throws {
        let (catalog, products, synonyms) = try await shop.load()
        var questions = ShopQuestions(catalog: catalog).questions.filter { $0.kind == .product }
        // The catalog's names are in the nominative; customers inflect them. Each inflected word asks for its kind.
        for (noun, forms) in Self.inflections {
            let answers = Set(catalog.items.filter { ShopCatalog.families[$0.family].noun == noun }.map(\.sku))
            for form in forms {
                questions.append(ShopQuestions.Question(text: form, kind: .product, style: "inflected", answers: answers, heldOut: true))
            }
        }
        guard let snowball = SnowballStemmer() else { throw BenchError("libstemmer has no Hungarian stemmer") }
        let variants: [(String, SearchIndex.Stemming)] = [
            ("none", { [$0] }),
            ("hand-written", HungarianStemmer.candidates),
            ("Snowball", { snowball.candidates($0) }),
            ("both", { word in Array(NSOrderedSet(array: HungarianStemmer.candidates(word) + snowball.candidates(word)).compactMap { $0 as? String }) }),
        ]
        print("\(questions.count) product questions about \(products.count) generated products (search alone, top three)")
        print("stemmer         inflected     held out      all        index build   search p50 / p99")
        for (name, stemming) in variants {
            let started = ContinuousClock.now
            let index = SearchIndex(products: products, synonyms: synonyms, stemming: stemming)
            let build = ContinuousClock.now - started
            var heldOut = (found: 0, total: 0), all = (found: 0, total: 0), inflected = (found: 0, total: 0)
            var timings: [Duration] = []
            for question in questions {
                let searched = ContinuousClock.now
                let top = index.search(ProductQuery(question.text, limit: 3)).map(\.product.sku)
                timings.append(ContinuousClock.now - searched)
                let found = top.contains { question.answers.contains($0) }
                if question.style == "inflected" {
                    inflected.total += 1
                    if found { inflected.found += 1 }
                    continue
                }
                all.total += 1
                if found { all.found += 1 }
                if question.heldOut {
                    heldOut.total += 1
                    if found { heldOut.found += 1 }
                }
            }
            timings.sort()
            func ms(_ value: Duration) -> String { String(format: "%.3f", Double(value.components.attoseconds) / 1e15 + Double(value.components.seconds) * 1000) }
            func share(_ part: (found: Int, total: Int)) -> String { String(format: "%3d/%3d %5.1f%%", part.found, part.total, 100 * Double(part.found) / Double(max(1, part.total))) }
            print(name.padding(toLength: 14, withPad: " ", startingAt: 0), share(inflected), share(heldOut), share(all), "  \(ms(build)) ms", "   \(ms(timings[timings.count / 2])) / \(ms(timings[timings.count * 99 / 100])) ms")
        }
    }

    /// Inflected forms of the catalog's product words, as customers write them (with and without accents).
    static let inflections: [(String, [String])] = [
        ("okostelefon", ["okostelefonokat", "okostelefonnal", "okostelefonhoz", "okostelefonra", "okostelefonokrol"]),
        ("fejhallgató", ["fejhallgatót", "fejhallgatókat", "fejhallgatóval", "fejhallgatoval", "fejhallgatóhoz"]),
        ("laptop", ["laptopot", "laptopokat", "laptophoz", "laptoppal", "laptopokról"]),
        ("kávéfőző", ["kávéfőzőt", "kávéfőzőket", "kávéfőzővel", "kavefozoket", "kávéfőzőhöz"]),
        ("porszívó", ["porszívót", "porszívókat", "porszívóhoz", "porszivoval"]),
        ("futócipő", ["futócipőt", "futócipőket", "futócipőben", "futocipohoz"]),
        ("póló", ["pólókat", "pólóban", "polot"]),
        ("építőjáték", ["építőjátékot", "építőjátékokat", "epitojatekkal"]),
        ("serpenyő", ["serpenyőt", "serpenyőben", "serpenyoket"]),
        ("töltő", ["töltőt", "töltővel", "toltoket"]),
        ("kábel", ["kábelt", "kábeleket", "kábellel"]),
        ("okosóra", ["okosórát", "okosórával", "okosorakat"]),
        ("játékkonzol", ["játékkonzolt", "játékkonzolokat", "jatekkonzollal"]),
        ("robotporszívó", ["robotporszívót", "robotporszivokat"]),
        ("fúró-csavarozó", ["fúró-csavarozót", "furo-csavarozokat"]),
        ("ajándékkártya", ["ajándékkártyát", "ajandekkartyakat"]),
    ]
}
