/// How a text travels as SMS: its encoding and the number of segments it takes (docs/channels.md §3.6).
public struct SMSSegments: Sendable, Hashable {
    public enum Encoding: String, Sendable, Hashable {
        /// The GSM 03.38 alphabet: 160 septets in one segment, 153 per part when concatenated.
        case gsm7
        /// UTF-16 code units: 70 in one segment, 67 per part when concatenated.
        case ucs2
    }

    public let encoding: Encoding
    /// Septets (GSM-7, extension characters count two) or UTF-16 code units (UCS-2, surrogate pairs count two).
    public let units: Int
    /// Segments the text is sent in; an empty text still takes one.
    public let count: Int

    /// Counts `text` as a carrier does: any character outside GSM-7 makes the whole text UCS-2, and a
    /// character is never split across two parts (an escaped GSM character or a surrogate pair moves whole).
    public init(_ text: String) {
        var septets: [Int] = []
        septets.reserveCapacity(text.unicodeScalars.count)
        var isGSM = true
        for scalar in text.unicodeScalars {
            if Self.basic.contains(scalar) {
                septets.append(1)
            } else if Self.extended.contains(scalar) {
                septets.append(2)
            } else {
                isGSM = false
                break
            }
        }
        let widths = isGSM ? septets : text.unicodeScalars.map { $0.utf16.count }
        encoding = isGSM ? .gsm7 : .ucs2
        units = widths.reduce(0, +)
        let single = isGSM ? 160 : 70
        let part = isGSM ? 153 : 67
        if units <= single {
            count = 1
        } else {
            var parts = 1
            var used = 0
            for width in widths {
                if used + width > part {
                    parts += 1
                    used = 0
                }
                used += width
            }
            count = parts
        }
    }

    /// The GSM 03.38 default alphabet (one septet each).
    static let basic: Set<Unicode.Scalar> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
            .unicodeScalars)
    /// The extension table, reached with an escape septet (two septets each).
    static let extended: Set<Unicode.Scalar> = Set("\u{0C}^{}\\[~]|€".unicodeScalars)
}
