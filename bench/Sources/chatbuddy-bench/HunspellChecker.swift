import CHunspell
import Foundation
import Synchronization

/// Hunspell with a dictionary (Debian hunspell-hu): whether a word is spelled right, and its suggestions.
/// A Hunspell handle may not be used by two threads at once, so its calls take turns.
final class HunspellChecker: Sendable {
    private let handle: Mutex<OpaquePointer>

    /// The checker of the dictionary at `path` (without `.aff`/`.dic`), nil when its files are missing.
    init?(dictionary path: String = "/usr/share/hunspell/hu_HU") {
        guard FileManager.default.fileExists(atPath: path + ".aff"), FileManager.default.fileExists(atPath: path + ".dic"),
            let handle = Hunspell_create(path + ".aff", path + ".dic")
        else { return nil }
        self.handle = Mutex(handle)
    }

    deinit {
        handle.withLock { Hunspell_destroy($0) }
    }

    /// Whether the dictionary knows `word` (UTF-8) as it is written.
    func isCorrect(_ word: String) -> Bool {
        handle.withLock { Hunspell_spell($0, word) != 0 }
    }

    /// Hunspell's suggestions for `word`, best first.
    func suggestions(_ word: String) -> [String] {
        handle.withLock { handle in
            var list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
            let count = Hunspell_suggest(handle, &list, word)
            defer { Hunspell_free_list(handle, &list, count) }
            return (0..<Int(count)).compactMap { list?[$0].map { String(cString: $0) } }
        }
    }
}
