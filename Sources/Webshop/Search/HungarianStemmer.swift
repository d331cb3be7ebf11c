/// A light suffix stripper for folded Hungarian words ("kavefozot" → "kavefozo", "telefonokat" → "telefon").
///
/// Hungarian stacks endings (plural, possessive, case), and a stripped word can be read more than one way
/// ("cipok" is "cipo" + "k", not "cip" + "ok"), so it returns every candidate stem; the index stores the
/// candidates of what it indexes and a query looks up the candidates of its words, so both readings meet.
public enum HungarianStemmer {
    /// Shortest stem kept.
    static let minimumStem = 3

    /// Case endings, plural and possessive markers, and derivational endings, folded; longest first when tried.
    static let suffixes: [String] = [
        "kkal", "kkel", "kent", "bol", "rol", "tol", "ban", "ben", "nak", "nek", "val", "vel", "hoz", "hez", "ert", "nal", "nel",
        "juk", "jok", "unk", "ink", "jai", "jei", "aim", "eim", "ait", "eit",
        "ba", "be", "ra", "re", "ig", "on", "en", "an", "ul", "at", "et", "ot", "ok", "ek", "ak", "ai", "ei",
        "ja", "je", "os", "es", "as", "ni",
        "k", "t", "n", "i", "s",
    ].sorted { $0.count > $1.count }

    /// The word and its candidate stems (at most two endings removed), without repeats.
    public static func candidates(_ word: String) -> [String] {
        var result = [word]
        guard word.count > minimumStem, word.unicodeScalars.allSatisfy({ !("0"..."9").contains($0) }) else { return result }
        var frontier = [word]
        for _ in 0..<2 {
            var next: [String] = []
            for form in frontier {
                for suffix in suffixes where form.hasSuffix(suffix) && form.count - suffix.count >= minimumStem {
                    let stem = String(form.dropLast(suffix.count))
                    if !result.contains(stem) {
                        result.append(stem)
                        next.append(stem)
                    }
                }
                // "-val/-vel" after a consonant becomes that consonant doubled: "laptoppal", "kábellel".
                let letters = Array(form.unicodeScalars)
                if letters.count - 3 >= minimumStem, form.hasSuffix("al") || form.hasSuffix("el"),
                    letters[letters.count - 3] == letters[letters.count - 4], !"aeiou".unicodeScalars.contains(letters[letters.count - 3])
                {
                    let stem = String(String.UnicodeScalarView(letters.dropLast(3)))
                    if !result.contains(stem) {
                        result.append(stem)
                        next.append(stem)
                    }
                }
            }
            frontier = next
        }
        return result
    }
}
