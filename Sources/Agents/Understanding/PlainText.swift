// Searches on a message's bytes and scalars: Foundation's `contains` and `trimmingCharacters(in:)` on a
// Swift string go through `NSString`, copying the text to UTF-16 on every call of every turn, and the
// standard library's generic `firstRange(of:)` looks up type metadata on every call.
extension StringProtocol {
    /// Whether `other` occurs in the text, compared byte for byte.
    func containsBytes(_ other: String) -> Bool {
        var needle = other
        return needle.withUTF8 { needle in
            utf8.withContiguousStorageIfAvailable { Self.occurs(needle, in: $0) }
                ?? Array(utf8).withUnsafeBufferPointer { Self.occurs(needle, in: $0) }
        }
    }

    /// Whether `needle` occurs in `text`: a scan for its first byte, then a comparison (the needles are
    /// short phrases, so the time stays linear in the text).
    private static func occurs(_ needle: UnsafeBufferPointer<UInt8>, in text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = needle.first else { return true }
        guard text.count >= needle.count else { return false }
        var start = 0
        while start <= text.count - needle.count {
            if text[start] == first {
                var offset = 1
                while offset < needle.count && text[start + offset] == needle[offset] { offset += 1 }
                if offset == needle.count { return true }
            }
            start += 1
        }
        return false
    }

    /// The text without leading and trailing scalars for which `isTrimmed` holds.
    func trimmingScalars(where isTrimmed: (Unicode.Scalar) -> Bool) -> Substring {
        let scalars = Substring(self).unicodeScalars
        guard let first = scalars.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !isTrimmed($0) })!
        return Substring(scalars[first...last])
    }
}
