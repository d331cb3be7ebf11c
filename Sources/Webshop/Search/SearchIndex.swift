import Foundation
import Synchronization

/// An in-memory index of the catalog for Hungarian-aware search: accent and case folding, suffix
/// stripping, prefixes of compound words, typos scaled by word length, and English product words;
/// name matches rank over brand and category, which rank over parameters and descriptions.
public struct SearchIndex: Sendable {
    /// How much a match in each field counts.
    enum Field: Float {
        case name = 3
        case sku = 2.8
        case brand = 2.5
        case category = 2
        case parameter = 1.5
        case description = 1
    }

    /// How much each way of matching a word counts against an exact match.
    enum Match: Float {
        case exact = 1
        case english = 0.95
        case stem = 0.9
        case prefix = 0.75
        case suffix = 0.7
        case typo = 0.6
        case secondTypo = 0.5
    }


    /// The shortest word a typo look-up is made for: a word this short only reaches a brand a letter longer
    /// ("leo" for "lego"); longer words reach any word one typo off ("kabl", "oplo").
    static let shortTypoLength = 3
    /// Two typos are allowed in words at least this long that match nothing with one.
    static let secondTypoMinimumLength = 8
    /// Prefix look-ups apply to words at least this long, and follow at most this many terms.
    static let prefixMinimumLength = 3
    static let prefixTermLimit = 64
    /// Suffix look-ups (the head of a compound word: "cipő" in "futócipő") apply to words at least this long.
    static let suffixMinimumLength = 4

    public let products: [Product]
    /// The shop's synonyms, shorthands and generic words.
    public let synonyms: SearchSynonyms
    private let stemming: Stemming
    private let correctingTypos: Bool
    private let skuIndex: [String: Int32]
    private let terms: [String]
    /// Every term spelled backwards, sorted, with its id: the terms ending in a word are a range here.
    private let reversedTerms: [(reversed: String, id: Int32)]
    private let termIDs: [String: Int32]
    /// Every term's folded UTF-8 back to back, and where each begins (one more entry than terms): the
    /// two-typo scan reads them without allocating.
    private let termBytes: [UInt8]
    private let termStarts: [Int32]
    /// Each term's letters as a set (`LetterCounts.presence`): the two-typo scan passes over a term with more than
    /// two letters the query lacks, or lacking more than two of its letters, before counting them.
    private let termLetters: [UInt32]
    /// Each term's products, ascending, as an index into `productLists`: a word's stems occur in exactly the
    /// same products as the word, so their terms share one list, and a search walks it once for all of them.
    private let termList: [Int32]
    private let productLists: [[Int32]]
    /// Each term's weight in each product of its list, in the list's order.
    private let termWeights: [[Float]]
    /// Each term of four or more letters (no digits) with one letter deleted → those terms.
    private let deletions: [String: [Int32]]
    /// Category words (and their stems) → the products filed under them, ascending.
    private let categoryMembers: [String: [Int32]]
    private let brands: [String]
    /// Every product's brand, folded (`de longhi`).
    public let brandNames: Set<String>
    /// The words of the brands (`de`, `longhi`).
    private let brandWords: Set<String>
    /// What the filters read, per product, kept apart so a check copies no product.
    private let inStock: [Bool]
    /// Words in each product's name.
    private let nameLengths: [UInt8]
    private let pricing: [Pricing]
    /// Per-product score buffers, reused across searches instead of allocated each time.
    private let scratch: ScratchPool

    /// The stems a folded word is indexed and looked up by, the word itself first.
    public typealias Stemming = @Sendable (String) -> [String]

    /// Indexes `products` (a later one of the same sku replaces an earlier one), searched with `synonyms`;
    /// `stemming` is the hand-written Hungarian stemmer and typos are corrected unless a comparison asks otherwise.
    public init(
        products: [Product], synonyms: SearchSynonyms = .none, stemming: @escaping Stemming = HungarianStemmer.candidates,
        correctingTypos: Bool = true
    ) {
        var unique: [Product] = []
        var skuIndex: [String: Int32] = [:]
        for product in products {
            if let existing = skuIndex[product.sku] {
                unique[Int(existing)] = product
            } else {
                skuIndex[product.sku] = Int32(unique.count)
                unique.append(product)
            }
        }
        var termPostings: [String: (products: [Int32], weights: [Float])] = [:]
        var categoryMembers: [String: [Int32]] = [:]
        var brands: [String] = []
        // A catalog repeats its words: each is stemmed once.
        var stemmed: [String: [String]] = [:]
        func stems(_ word: String) -> [String] {
            if let known = stemmed[word] { return known }
            let found = stemming(word)
            stemmed[word] = found
            return found
        }
        for (index, product) in unique.enumerated() {
            var weights: [String: Float] = [:]
            func add(_ text: String?, _ field: Field) {
                guard let text else { return }
                for word in TextFolding.words(text).flatMap(Self.splitUnit) {
                    for (position, candidate) in stems(word).enumerated() {
                        let weight = field.rawValue * (position == 0 ? Match.exact.rawValue : Match.stem.rawValue)
                        if weight > weights[candidate, default: 0] { weights[candidate] = weight }
                    }
                }
            }
            add(product.name, .name)
            add(product.sku, .sku)
            add(product.brand, .brand)
            let categories = [product.category].compactMap { $0 } + product.alternativeCategories
            for category in categories { add(category, .category) }
            for parameter in product.parameters { add(parameter.value, .parameter) }
            add(product.descriptionText, .description)
            for (term, weight) in weights {
                termPostings[term, default: ([], [])].products.append(Int32(index))
                termPostings[term, default: ([], [])].weights.append(weight)
            }
            for word in Set(categories.flatMap(TextFolding.words).flatMap(stems)) {
                categoryMembers[word, default: []].append(Int32(index))
            }
            brands.append(product.brand.map(TextFolding.fold) ?? TextFolding.words(product.name).first ?? "")
        }
        let terms = termPostings.keys.sorted()
        var termIDs: [String: Int32] = [:]
        termIDs.reserveCapacity(terms.count)
        var deletions: [String: [Int32]] = [:]
        let brandWords = Set(unique.compactMap(\.brand).flatMap(TextFolding.words))
        for (id, term) in terms.enumerated() {
            termIDs[term] = Int32(id)
            guard correctingTypos, term.unicodeScalars.count > Self.shortTypoLength, !term.unicodeScalars.contains(where: { ("0"..."9").contains($0) })
            else { continue }
            for variant in Self.deletionVariants(term) { deletions[variant, default: []].append(Int32(id)) }
        }
        self.products = unique
        self.synonyms = synonyms
        self.stemming = stemming
        self.correctingTypos = correctingTypos
        self.brandWords = brandWords
        self.skuIndex = skuIndex
        self.terms = terms
        self.reversedTerms = terms.enumerated().map { (String($0.element.reversed()), Int32($0.offset)) }.sorted { $0.reversed < $1.reversed }
        self.termIDs = termIDs
        var termBytes: [UInt8] = []
        var termStarts: [Int32] = [0]
        for term in terms {
            termBytes.append(contentsOf: term.utf8)
            termStarts.append(Int32(termBytes.count))
        }
        self.termBytes = termBytes
        self.termStarts = termStarts
        self.termLetters = terms.map { LetterCounts.presence(of: $0.utf8) }
        var listIDs: [[Int32]: Int32] = [:]
        var productLists: [[Int32]] = []
        var termList: [Int32] = []
        var termWeights: [[Float]] = []
        termList.reserveCapacity(terms.count)
        termWeights.reserveCapacity(terms.count)
        for term in terms {
            let (products, weights) = termPostings[term] ?? ([], [])
            if let shared = listIDs[products] {
                termList.append(shared)
            } else {
                listIDs[products] = Int32(productLists.count)
                termList.append(Int32(productLists.count))
                productLists.append(products)
            }
            termWeights.append(weights)
        }
        self.termList = termList
        self.productLists = productLists
        self.termWeights = termWeights
        self.deletions = deletions
        self.categoryMembers = categoryMembers
        self.brands = brands
        self.brandNames = Set(unique.compactMap { $0.brand.map(TextFolding.fold) }.filter { !$0.isEmpty })
        self.inStock = unique.map(\.inStock)
        self.nameLengths = unique.map { UInt8(clamping: TextFolding.words($0.name).count) }
        self.pricing = unique.map { Pricing(price: $0.price, sale: $0.sale) }
        self.scratch = ScratchPool(size: unique.count)
    }

    /// The product with this sku.
    public func product(sku: String) -> Product? {
        skuIndex[sku].map { products[Int($0)] }
    }

    /// The best matches for `query` at `date` (prices and sales as they are then), best first.
    public func search(_ query: ProductQuery, at date: Date = Date()) -> [ProductMatch] {
        let groups = wordGroups(query.text)
        let brandFilter = query.brand.map(TextFolding.fold)
        // The products of the category filter: those filed under every one of its words.
        let inCategory = query.category.map { categoryProducts(TextFolding.words($0)) }
        let hasFilters = query.inStockOnly || query.minPrice != nil || query.maxPrice != nil || inCategory != nil || brandFilter != nil
        func passes(_ index: Int) -> Bool {
            guard hasFilters else { return true }
            if query.inStockOnly && !inStock[index] { return false }
            if query.minPrice != nil || query.maxPrice != nil {
                let price = pricing[index].current(at: date)
                if let minimum = query.minPrice, price < minimum { return false }
                if let maximum = query.maxPrice, price > maximum { return false }
            }
            if let inCategory, !inCategory[index] { return false }
            if let brandFilter, brands[index] != brandFilter { return false }
            return true
        }
        var ranking = TopMatches(limit: max(0, query.limit))
        // Words that are all stop words ("a", "van") name nothing.
        guard groups.isEmpty == TextFolding.words(query.text).isEmpty else { return [] }
        guard !groups.isEmpty else {
            // Only filters: what can be bought first, in catalog order; a category narrows the scan to its members.
            let scanned: [Int] = query.category.map { filter in
                TextFolding.words(filter).first.flatMap { categoryMembers[$0] }?.map(Int.init) ?? []
            } ?? Array(products.indices)
            for index in scanned where passes(index) {
                ranking.offer(index, matched: 0, score: inStock[index] ? 1 : 0)
                if ranking.isFullOfInStock { break }
            }
            return ranking.matches(products)
        }
        var buffers = scratch.take()
        defer { scratch.give(&buffers) }
        var candidates: [Int32] = []
        var touched: [Int32] = []
        var combined: [Float] = []
        // The loops over product lists are the search's hot path: they read the buffers through pointers, with
        // no bounds or uniqueness checks (every product number in a list is below the buffers' size).
        buffers.best.withUnsafeMutableBufferPointer { best in
            buffers.totals.withUnsafeMutableBufferPointer { totals in
                buffers.matched.withUnsafeMutableBufferPointer { matched in
                    for group in groups {
                        touched.removeAll(keepingCapacity: true)
                        for (list, members) in listsOf(lookups(group)) {
                            combineWeights(members, into: &combined)
                            productLists[Int(list)].withUnsafeBufferPointer { products in
                                combined.withUnsafeBufferPointer { weights in
                                    for position in products.indices {
                                        let product = Int(products[position])
                                        let current = best[product]
                                        if current == 0 { touched.append(products[position]) }
                                        if weights[position] > current { best[product] = weights[position] }
                                    }
                                }
                            }
                        }
                        for product in touched {
                            let index = Int(product)
                            if matched[index] == 0 { candidates.append(product) }
                            totals[index] += best[index]
                            matched[index] &+= 1
                            best[index] = 0
                        }
                    }
                }
            }
        }
        // Only products matching as many of the words as the best one, and at least half of them.
        buffers.touched = candidates
        let coverage = candidates.reduce(0) { max($0, Int(buffers.matched[Int($1)])) }
        guard coverage * 2 >= groups.count else { return [] }
        for product in candidates where Int(buffers.matched[Int(product)]) == coverage && passes(Int(product)) {
            let index = Int(product)
            // Between equal matches, what can be bought first, then the shorter name (less besides what was asked).
            let stockBonus: Float = inStock[index] ? 0.01 : 0
            let brevityBonus = 0.005 / Float(max(1, nameLengths[index]))
            ranking.offer(index, matched: coverage, score: buffers.totals[index] + stockBonus + brevityBonus)
        }
        return ranking.matches(products)
    }

    /// The share of `text`'s words (stop words aside) that one product's name, sku, brand or category
    /// accounts for, the best product's: 1 when some product is named by every word, 0 when none is.
    /// Descriptions and parameters do not count: they mention too much to tell a product was meant.
    public func nameCoverage(_ text: String) -> Double {
        let groups = wordGroups(text)
        guard !groups.isEmpty, groups.count <= Self.coverageWordLimit else { return 0 }
        var buffers = scratch.take()
        defer { scratch.give(&buffers) }
        var combined: [Float] = []
        var most = 0
        // `best` holds, per product, the number of the last group that named it, so a group counts once.
        for (number, group) in groups.enumerated() {
            let stamp = Float(number + 1)
            for (list, members) in listsOf(lookups(group)) {
                combineWeights(members, into: &combined)
                for (position, product) in productLists[Int(list)].enumerated() where combined[position] >= Self.namingWeight {
                    let index = Int(product)
                    guard buffers.best[index] != stamp else { continue }
                    if buffers.best[index] == 0 { buffers.touched.append(product) }
                    buffers.best[index] = stamp
                    buffers.matched[index] &+= 1
                    most = max(most, Int(buffers.matched[index]))
                }
            }
        }
        for product in buffers.touched { buffers.best[Int(product)] = 0 }
        return Double(most) / Double(groups.count)
    }

    /// The looked-up terms by the product list they share, each with its factor.
    private func listsOf(_ found: [(Int32, Float)]) -> [Int32: [(term: Int32, factor: Float)]] {
        var lists: [Int32: [(term: Int32, factor: Float)]] = [:]
        for (term, factor) in found { lists[termList[Int(term)], default: []].append((term, factor)) }
        return lists
    }

    /// The best weight in each product of a shared list over its `members` (each term's weight times its factor).
    private func combineWeights(_ members: [(term: Int32, factor: Float)], into combined: inout [Float]) {
        let first = termWeights[Int(members[0].term)]
        let factor = members[0].factor
        combined.removeAll(keepingCapacity: true)
        combined.append(contentsOf: first.lazy.map { $0 * factor })
        for member in members.dropFirst() {
            let weights = termWeights[Int(member.term)]
            for position in combined.indices { combined[position] = max(combined[position], weights[position] * member.factor) }
        }
    }

    /// Texts longer than this are sentences, not a product's name.
    static let coverageWordLimit = 8
    /// The least weight of a match in a naming field: a brand with a typo (2.5 × 0.6) counts, a
    /// parameter's exact word (1.5 × 1) does not.
    static let namingWeight: Float = 1.5

    /// Marks the products filed under every one of `words` (an empty list matches every product).
    private func categoryProducts(_ words: [String]) -> [Bool] {
        guard let first = words.first else { return [Bool](repeating: true, count: products.count) }
        var marks = [Bool](repeating: false, count: products.count)
        for member in categoryMembers[first] ?? [] { marks[Int(member)] = true }
        for word in words.dropFirst() {
            var next = [Bool](repeating: false, count: products.count)
            for member in categoryMembers[word] ?? [] where marks[Int(member)] { next[Int(member)] = true }
            marks = next
        }
        return marks
    }

    /// The query's words without stop words, each with the words it may also be: an English two-word phrase
    /// counts as one word; a shop's shorthand or phrase stands for its words, an everyday word goes with the
    /// catalog's; a number run into its unit ("128giga") is two words; generic words go when others stay.
    func wordGroups(_ text: String) -> [[String]] {
        var words: [String] = []
        for word in TextFolding.words(text) { words.append(contentsOf: Self.splitUnit(word)) }
        var groups: [[String]] = []
        var index = 0
        next: while index < words.count {
            for length in stride(from: min(synonyms.longestKey, words.count - index), through: 1, by: -1) {
                let phrase = words[index..<(index + length)].joined(separator: " ")
                guard let expansion = synonyms.expansions[phrase] else { continue }
                if expansion.count == 1, length == 1 {
                    groups.append([phrase, expansion[0]])
                } else {
                    groups.append(contentsOf: expansion.map { [$0] })
                }
                index += length
                continue next
            }
            if index + 1 < words.count, SearchVocabulary.english[words[index] + " " + words[index + 1]] != nil {
                groups.append([words[index] + " " + words[index + 1]])
                index += 2
                continue
            }
            if !SearchVocabulary.stopWords.contains(words[index]) { groups.append([words[index]]) }
            index += 1
        }
        let specific = groups.filter { !synonyms.generic.contains($0[0]) }
        return specific.isEmpty ? groups : specific
    }

    /// `128gb` and `128giga` as `128` and the unit, the way a catalog writes "128 GB".
    static func splitUnit(_ word: String) -> [String] {
        guard let first = word.unicodeScalars.first, ("0"..."9").contains(first) else { return [word] }
        let digits = String(word.unicodeScalars.prefix { ("0"..."9").contains($0) })
        let unit = String(word.dropFirst(digits.count))
        return Self.units.contains(unit) ? [digits, unit == "giga" ? "gb" : unit == "tera" ? "tb" : unit] : [word]
    }

    static let units: Set<String> = ["gb", "giga", "tb", "tera", "mb", "mah", "w", "v", "mm", "cm", "l", "kg", "g"]

    /// The terms a query word matches, each with how much the match counts.
    private func lookups(_ group: [String]) -> [(Int32, Float)] {
        var found: [Int32: Float] = [:]
        func note(_ id: Int32, _ weight: Float) {
            if weight > found[id, default: 0] { found[id] = weight }
        }
        func note(_ term: String, _ match: Match, factor: Float = 1) {
            guard let id = termIDs[term] else { return }
            note(id, match.rawValue * factor)
        }
        /// Terms starting with `word` (compounds it begins) and ending with it (compounds it is the head of).
        func noteAffixes(_ word: String, factor: Float = 1) {
            if word.count >= Self.prefixMinimumLength {
                var position = lowerBound(word)
                var followed = 0
                while position < terms.count, followed < Self.prefixTermLimit, terms[position].hasPrefix(word) {
                    note(Int32(position), Match.prefix.rawValue * factor)
                    position += 1
                    followed += 1
                }
            }
            if word.count >= Self.suffixMinimumLength {
                let reversed = String(word.reversed())
                var position = reversedLowerBound(reversed)
                var followed = 0
                while position < reversedTerms.count, followed < Self.prefixTermLimit,
                    reversedTerms[position].reversed.hasPrefix(reversed)
                {
                    note(reversedTerms[position].id, Match.suffix.rawValue * factor)
                    position += 1
                    followed += 1
                }
            }
        }
        for word in group {
            for hungarian in SearchVocabulary.english[word] ?? [] {
                for candidate in stemming(hungarian) { note(candidate, .english) }
                noteAffixes(hungarian, factor: Match.english.rawValue)
            }
            if word.contains(" ") { continue }
            for (position, candidate) in stemming(word).enumerated() {
                note(candidate, position == 0 ? .exact : .stem)
            }
            noteAffixes(word)
            let length = word.unicodeScalars.count
            guard correctingTypos, length >= Self.shortTypoLength, !word.unicodeScalars.contains(where: { ("0"..."9").contains($0) }) else { continue }
            for id in typoTerms(word) where found[id] == nil {
                // A three-letter word is too easily another word: it only reaches a brand a letter longer ("leo").
                if length == Self.shortTypoLength, !brandWords.contains(terms[Int(id)]) || terms[Int(id)].unicodeScalars.count == length { continue }
                found[id] = Match.typo.rawValue
            }
            if found.isEmpty, length >= Self.secondTypoMinimumLength {
                for id in twoEditTerms(word) { found[id] = Match.secondTypo.rawValue }
            }
        }
        return found.map { ($0.key, $0.value) }
    }

    /// Terms one edit (insertion, deletion, substitution or swap of neighbours) away from `word`.
    private func typoTerms(_ word: String) -> Set<Int32> {
        var result = Set<Int32>()
        let letters = Array(word.unicodeScalars)
        for id in deletions[word] ?? [] { result.insert(id) }
        for variant in Self.deletionVariants(word) {
            if let id = termIDs[variant] { result.insert(id) }
            for id in deletions[variant] ?? [] where Self.isOneEditApart(letters, Array(terms[Int(id)].unicodeScalars)) {
                result.insert(id)
            }
        }
        return result
    }

    /// Terms two edits away from `word` that begin with its letter: the terms of that letter and of a length
    /// two or fewer letters off are scanned, those whose letters differ in more than two are passed over
    /// unread, the rest are measured.
    private func twoEditTerms(_ word: String) -> [Int32] {
        let query = Array(word.utf8)
        guard let first = query.first, first < 0x80 else { return [] }
        let counts = LetterCounts(query[...])
        let letters = LetterCounts.presence(of: query)
        var result: [Int32] = []
        var position = lowerBound(String(UnicodeScalar(first)))
        while position < terms.count, termBytes[Int(termStarts[position])] == first {
            let term = termBytes[Int(termStarts[position])..<Int(termStarts[position + 1])]
            // An edit brings in at most one letter and takes away at most one.
            let candidate = termLetters[position]
            if abs(term.count - query.count) <= 2, (letters & ~candidate).nonzeroBitCount <= 2,
                (candidate & ~letters).nonzeroBitCount <= 2, counts.differs(from: term, atMost: 2),
                Self.editDistance(query, term, limit: 2) <= 2
            {
                result.append(Int32(position))
            }
            position += 1
        }
        return result
    }

    /// The optimal string alignment distance of `a` and `b` (insertions, deletions, substitutions, swaps of
    /// neighbours), or `limit + 1` once it is sure to exceed `limit`.
    static func editDistance(_ a: [UInt8], _ b: ArraySlice<UInt8>, limit: Int) -> Int {
        let b = Array(b)
        var before = [Int](0...b.count), previous = before, current = before
        for i in 1...a.count {
            current[0] = i
            var smallest = i
            for j in 1...max(1, b.count) where !b.isEmpty {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, before[j - 2] + 1) }
                current[j] = value
                smallest = min(smallest, value)
            }
            if smallest > limit { return limit + 1 }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }

    private func lowerBound(_ word: String) -> Int {
        var low = 0
        var high = terms.count
        while low < high {
            let middle = (low + high) / 2
            if terms[middle] < word { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private func reversedLowerBound(_ reversed: String) -> Int {
        var low = 0
        var high = reversedTerms.count
        while low < high {
            let middle = (low + high) / 2
            if reversedTerms[middle].reversed < reversed { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private static func deletionVariants(_ word: String) -> Set<String> {
        let letters = Array(word.unicodeScalars)
        var variants = Set<String>()
        for skip in letters.indices {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: letters[..<skip])
            view.append(contentsOf: letters[(skip + 1)...])
            variants.insert(String(view))
        }
        return variants
    }

    /// Whether two equally long words differ in one letter or in one swap of neighbouring letters.
    static func isOneEditApart(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Bool {
        guard a.count == b.count else { return true }
        let differences = a.indices.filter { a[$0] != b[$0] }
        if differences.count <= 1 { return true }
        if differences.count == 2, differences[1] == differences[0] + 1 {
            return a[differences[0]] == b[differences[1]] && a[differences[1]] == b[differences[0]]
        }
        return false
    }
}

/// How many of each letter a word has (a–z, anything else together), to tell cheaply that two words differ
/// in more letters than a number of edits can change.
private struct LetterCounts {
    private var counts = SIMD32<Int16>()

    init(_ word: ArraySlice<UInt8>) {
        for byte in word { counts[Self.slot(byte)] &+= 1 }
    }

    /// The letters `word` has, a bit each (a–z, anything else together).
    static func presence(of word: some Sequence<UInt8>) -> UInt32 {
        var bits: UInt32 = 0
        for byte in word { bits |= 1 << UInt32(slot(byte)) }
        return bits
    }

    private static func slot(_ byte: UInt8) -> Int {
        (0x61...0x7A).contains(byte) ? Int(byte - 0x61) : 26
    }

    /// Whether neither word has more than `limit` letters the other lacks (one edit changes at most one each way).
    func differs(from other: ArraySlice<UInt8>, atMost limit: Int) -> Bool {
        var difference = counts
        for byte in other { difference[Self.slot(byte)] &-= 1 }
        let surplus = difference.replacing(with: 0, where: difference .< 0).wrappedSum()
        let lack = (0 &- difference).replacing(with: 0, where: difference .> 0).wrappedSum()
        return Int(surplus) <= limit && Int(lack) <= limit
    }
}

/// The best `limit` matches seen, kept in order without sorting every candidate.
private struct TopMatches {
    let limit: Int
    private var entries: [(index: Int, matched: Int, score: Float)] = []

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether every place holds an in-stock product (score 1 in a filter-only scan), so no later one ranks higher.
    var isFullOfInStock: Bool {
        entries.count == limit && (entries.last?.score ?? 0) >= 1
    }

    mutating func offer(_ index: Int, matched: Int, score: Float) {
        guard limit > 0 else { return }
        if entries.count == limit, let last = entries.last, last.score >= score { return }
        let position = entries.firstIndex { $0.score < score } ?? entries.count
        entries.insert((index, matched, score), at: position)
        if entries.count > limit { entries.removeLast() }
    }

    func matches(_ products: [Product]) -> [ProductMatch] {
        entries.map { ProductMatch(product: products[$0.index], score: Double($0.score)) }
    }
}

/// Score buffers of one search: per product, the running total, the words matched and the current word's best.
private struct ScratchBuffers: Sendable {
    var totals: [Float]
    var matched: [UInt8]
    var best: [Float]
    /// The products whose totals and counts were written, to reset them cheaply.
    var touched: [Int32] = []

    init(size: Int) {
        totals = [Float](repeating: 0, count: size)
        matched = [UInt8](repeating: 0, count: size)
        best = [Float](repeating: 0, count: size)
    }
}

/// Buffers searches lend and return, so a search touches warm memory instead of mapping a fresh megabyte.
private final class ScratchPool: Sendable {
    private let size: Int
    private let free = Mutex<[ScratchBuffers]>([])
    /// Buffers kept for reuse; more concurrent searches allocate their own.
    private static let kept = 8

    init(size: Int) {
        self.size = size
    }

    func take() -> ScratchBuffers {
        free.withLock { $0.popLast() } ?? ScratchBuffers(size: size)
    }

    /// Takes the buffers back, cleared where the search wrote.
    func give(_ buffers: inout ScratchBuffers) {
        for product in buffers.touched {
            buffers.totals[Int(product)] = 0
            buffers.matched[Int(product)] = 0
        }
        buffers.touched.removeAll(keepingCapacity: true)
        let returned = buffers
        free.withLock { pool in
            if pool.count < Self.kept { pool.append(returned) }
        }
    }
}

/// A product's price and sale, enough to tell what it costs at a moment.
private struct Pricing: Sendable {
    var price: Double
    var sale: Product.Sale?

    func current(at date: Date) -> Double {
        sale?.price(below: price, at: date) ?? price
    }
}
