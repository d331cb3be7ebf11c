import CStemmer
import Synchronization

/// Snowball's Hungarian stemmer (libstemmer) as a search index's stemming: the word and its one stem.
/// A Snowball stemmer may not be used by two threads at once, so its calls take turns.
final class SnowballStemmer: Sendable {
    private let stemmer: Mutex<OpaquePointer>

    init?(language: String = "hungarian") {
        guard let stemmer = sb_stemmer_new(language, "UTF_8") else { return nil }
        self.stemmer = Mutex(stemmer)
    }

    deinit {
        stemmer.withLock { sb_stemmer_delete($0) }
    }

    /// The stem of `word` (UTF-8).
    func stem(_ word: String) -> String {
        stemmer.withLock { stemmer in
            let bytes = Array(word.utf8)
            guard let result = bytes.withUnsafeBufferPointer({ sb_stemmer_stem(stemmer, $0.baseAddress, Int32($0.count)) }) else { return word }
            let length = Int(sb_stemmer_length(stemmer))
            return String(decoding: UnsafeBufferPointer(start: result, count: length), as: UTF8.self)
        }
    }

    /// The word, and its stem when that is another word of three or more letters.
    func candidates(_ word: String) -> [String] {
        let stem = stem(word)
        return stem != word && stem.count >= 3 ? [word, stem] : [word]
    }
}
