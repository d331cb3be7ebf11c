import Foundation
import Webshop
import Yams

/// Reads the shop's `search-synonyms.yml`: `shorthands` and `synonyms` (maps of what customers type to the
/// catalog's words) and `generic` (a list of words that narrow nothing).
public enum SearchSynonymsFile {
    /// The synonyms of the file at `path`; none when there is no such file.
    public static func load(path: String) throws -> SearchSynonyms {
        func fail(_ key: String, _ reason: String) -> Knowledge.FileError { Knowledge.FileError(path: path, key: key, reason: reason) }
        guard FileManager.default.fileExists(atPath: path) else { return .none }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw fail("", "cannot be read") }
        guard let root = (try? Yams.load(yaml: text)) as? [String: Any] else { throw fail("", "is not a YAML map") }
        for key in root.keys where !["shorthands", "synonyms", "generic"].contains(key) {
            throw fail(key, "unknown key (expected shorthands, synonyms, generic)")
        }
        var expansions: [String: String] = [:]
        for section in ["shorthands", "synonyms"] {
            guard let value = root[section] else { continue }
            guard let map = value as? [AnyHashable: Any] else { throw fail(section, "expected a map of what customers type to the catalog's words") }
            for (key, words) in map {
                guard let words = words as? String ?? (words as? Int).map(String.init) else {
                    throw fail("\(section).\(key)", "expected the catalog's words as text")
                }
                expansions["\(key)"] = words
            }
        }
        var generic: [String] = []
        if let value = root["generic"] {
            guard let list = value as? [Any] else { throw fail("generic", "expected a list of words") }
            generic = list.map { "\($0)" }
        }
        return SearchSynonyms(expansions: expansions, generic: generic)
    }
}
