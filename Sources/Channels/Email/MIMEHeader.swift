import Foundation

/// Reading of MIME and RFC 5322 headers: unfolding, parameters, encoded words (RFC 2047) and addresses.
enum MIMEHeader {
    /// The header block's fields in order, continuation lines unfolded and encoded words decoded.
    static func parse(_ block: String) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = []
        for line in block.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            if let first = line.first, first == " " || first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]).trimmingCharacters(in: .whitespaces), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
            }
        }
        return fields.map { ($0.name, decodeWords($0.value)) }
    }

    /// The value before its parameters: `text/plain` of `text/plain; charset=UTF-8`.
    static func value(of header: String) -> String {
        String(header.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// A parameter's value, unquoted (`charset`, `boundary`, `filename`, `name`).
    static func parameter(_ name: String, of header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name.lowercased() else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// Decodes RFC 2047 encoded words (`=?ISO-8859-2?Q?=C1rv=EDzt=FBr=F5?=`); the space between two
    /// adjacent encoded words is dropped.
    static func decodeWords(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var rest = Substring(value)
        var lastWasWord = false
        while let match = rest.firstMatch(of: /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/) {
            let between = rest[..<match.range.lowerBound]
            if !(lastWasWord && between.allSatisfy(\.isWhitespace)) { out += between }
            let payload = String(match.3)
            let bytes: [UInt8]
            if match.2.lowercased() == "b" {
                bytes = Data(base64Encoded: payload, options: .ignoreUnknownCharacters).map { Array($0) } ?? Array(payload.utf8)
            } else {
                bytes = QuotedPrintable.decode(Array(payload.replacing("_", with: " ").utf8))
            }
            out += Charsets.decode(bytes, charset: String(match.1.split(separator: "*").first ?? match.1))
            lastWasWord = true
            rest = rest[match.range.upperBound...]
        }
        return out + rest
    }

    /// The address of `Kovács Éva <kovacs.eva@gmail.com>` (or of a bare address), lower case.
    static func address(_ value: String) -> String? {
        if let open = value.lastIndex(of: "<"), let close = value.lastIndex(of: ">"), open < close {
            let inside = value[value.index(after: open)..<close].trimmingCharacters(in: .whitespaces)
            return inside.contains("@") ? inside.lowercased() : nil
        }
        let bare = value.trimmingCharacters(in: .whitespaces)
        return bare.contains("@") && !bare.contains(" ") ? bare.lowercased() : nil
    }

    /// The display name of `"Kovács Éva" <kovacs.eva@gmail.com>`, when there is one.
    static func displayName(_ value: String) -> String? {
        guard let open = value.lastIndex(of: "<") else { return nil }
        let name = value[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return name.isEmpty ? nil : name
    }

    /// The message ids of `In-Reply-To` or `References`, in order, with their angle brackets.
    static func messageIDs(_ value: String?) -> [String] {
        guard let value else { return [] }
        return value.matches(of: /<[^<>\s]+>/).map { String($0.output) }
    }
}

/// Quoted-printable decoding (RFC 2045): `=XX` escapes and `=` soft line breaks.
enum QuotedPrintable {
    static func decode(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "=") {
                if let high = hex(bytes[safe: index + 1]), let low = hex(bytes[safe: index + 2]) {
                    out.append(high << 4 | low)
                    index += 3
                    continue
                }
                if bytes[safe: index + 1] == 13 && bytes[safe: index + 2] == 10 {
                    index += 3
                    continue
                }
                if bytes[safe: index + 1] == 10 {
                    index += 2
                    continue
                }
            }
            out.append(byte)
            index += 1
        }
        return out
    }

    private static func hex(_ byte: UInt8?) -> UInt8? {
        switch byte {
        case .some(let b) where b >= 48 && b <= 57: b - 48
        case .some(let b) where b >= 65 && b <= 70: b - 55
        case .some(let b) where b >= 97 && b <= 102: b - 87
        default: nil
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate subscript(safe index: Int) -> UInt8? {
        indices.contains(index) ? self[index] : nil
    }
}
