/// What customers type and the catalog's words for it (the shop's `templates/search-synonyms.yml`), folded:
/// a shorthand or a phrase stands for several words (`ps5` → `playstation 5`), an everyday word is searched
/// with the catalog's as well (`bicikli` → `kerekpar`), and generic words (`termekek`) are ignored when a
/// query has other words.
public struct SearchSynonyms: Sendable, Hashable {
    /// A folded word or phrase → the folded catalog words it stands for.
    var expansions: [String: [String]]
    /// Folded words that narrow nothing ("products", "készletek").
    var generic: Set<String>
    /// The longest phrase (in words) among the expansions' keys.
    var longestKey: Int

    public static let none = SearchSynonyms(expansions: [:], generic: [])

    /// `expansions` maps what customers type to the catalog's words (any case and accents); `generic` lists
    /// words to ignore beside others.
    public init(expansions: [String: String], generic: [String]) {
        var folded: [String: [String]] = [:]
        for (key, value) in expansions {
            let words = TextFolding.words(value)
            let phrase = TextFolding.fold(key)
            guard !phrase.isEmpty, !words.isEmpty else { continue }
            folded[phrase, default: []].append(contentsOf: words)
        }
        self.expansions = folded
        self.generic = Set(generic.map(TextFolding.fold).filter { !$0.isEmpty })
        self.longestKey = folded.keys.map { $0.split(separator: " ").count }.max() ?? 1
    }
}
