import Foundation
import NIOCore

/// One part of a MIME body: its headers (unfolded, in order) and its raw bytes.
struct MIMEPart: Sendable {
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    /// The first header of that name (case-insensitive).
    func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// The `Content-Type` without parameters, lower case (`text/plain` when absent).
    var mediaType: String {
        (header("Content-Type").map { MIMEHeader.value(of: $0) } ?? "text/plain").lowercased()
    }

    /// A parameter of `Content-Type` (`charset`, `boundary`, `name`).
    func contentTypeParameter(_ name: String) -> String? {
        header("Content-Type").flatMap { MIMEHeader.parameter(name, of: $0) }
    }

    /// The form field name or file name of `Content-Disposition`.
    func dispositionParameter(_ name: String) -> String? {
        header("Content-Disposition").flatMap { MIMEHeader.parameter(name, of: $0) }
    }

    /// The body with its `Content-Transfer-Encoding` (base64, quoted-printable) undone.
    var decodedBody: [UInt8] {
        switch header("Content-Transfer-Encoding")?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "base64":
            let compact = body.filter { !$0.isASCIIWhitespace }
            return Data(base64Encoded: Data(compact), options: .ignoreUnknownCharacters).map { Array($0) } ?? body
        case "quoted-printable":
            return QuotedPrintable.decode(body)
        default:
            return body
        }
    }

    /// The decoded body as text in its declared charset.
    var text: String {
        Charsets.decode(decodedBody, charset: contentTypeParameter("charset"))
    }

    /// Splits a multipart body on `boundary` into its parts (RFC 2046 §5.1.1: preamble and epilogue
    /// ignored, a delimiter counts only as a whole line); a body written with bare line feeds only is read
    /// as if they were CRLF (binary parts of a CRLF body are left byte for byte). Linear in the body's size.
    static func parts(of body: [UInt8], boundary: String) throws(MIMEMultipartError) -> [MIMEPart] {
        let bytes = withCRLF(body)[...]
        let delimiter = Array("\r\n--\(boundary)".utf8)
        // After a delimiter: "--" closes the body; else transport padding and CRLF end its line.
        func lineEnd(after index: Int) -> (close: Bool, next: Int)? {
            if bytes[index...].starts(with: [UInt8(ascii: "-"), UInt8(ascii: "-")]) { return (true, index + 2) }
            var index = index
            while index < bytes.endIndex, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") { index += 1 }
            return bytes[index...].starts(with: [13, 10]) ? (false, index + 2) : nil
        }
        func nextDelimiter(from start: Int) -> (at: Int, close: Bool, next: Int)? {
            var from = start
            while let at = find(delimiter, in: bytes, from: from) {
                if let line = lineEnd(after: at + delimiter.count) { return (at, line.close, line.next) }
                from = at + 1
            }
            return nil
        }
        // The first delimiter may open the body without the line break before it.
        var current: (close: Bool, next: Int)
        if bytes.starts(with: delimiter.dropFirst(2)), let line = lineEnd(after: delimiter.count - 2) {
            current = line
        } else if let first = nextDelimiter(from: 0) {
            current = (first.close, first.next)
        } else {
            throw .noDelimiter
        }
        var parts: [MIMEPart] = []
        while !current.close {
            guard let end = nextDelimiter(from: current.next) else { throw .unterminated }
            parts.append(try part(bytes[current.next..<end.at]))
            current = (end.close, end.next)
        }
        return parts
    }

    /// One body part: its header block up to the first empty line, and the bytes after it.
    private static func part(_ bytes: ArraySlice<UInt8>) throws(MIMEMultipartError) -> MIMEPart {
        if bytes.starts(with: [13, 10]) { return MIMEPart(headers: [], body: Array(bytes.dropFirst(2))) }
        guard let split = find([13, 10, 13, 10], in: bytes, from: bytes.startIndex) else { throw .noHeaderEnd }
        let head = String(decoding: bytes[..<split], as: UTF8.self)
        return MIMEPart(headers: MIMEHeader.parse(head), body: Array(bytes[(split + 4)...]))
    }

    /// The index of the first `needle` in `haystack` at or after `start`: `memchr` finds each candidate
    /// first byte and `memcmp` checks it, so the search costs at most the needle's length per byte.
    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard start < haystack.endIndex, let first = needle.first else { return nil }
        return haystack[start...].withUnsafeBufferPointer { buffer in
            needle.withUnsafeBufferPointer { pattern in
                guard let base = buffer.baseAddress, let pattern = pattern.baseAddress else { return nil }
                var offset = 0
                while buffer.count - offset >= needle.count {
                    guard let hit = memchr(base + offset, Int32(first), buffer.count - offset - needle.count + 1) else { return nil }
                    let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + position, pattern, needle.count) == 0 { return start + position }
                    offset = position + 1
                }
                return nil
            }
        }
    }
}

/// Why a multipart body could not be split.
enum MIMEMultipartError: Error {
    case noDelimiter, unterminated, noHeaderEnd
}

extension MIMEPart {
    /// A whole message (headers, blank line, body) as one part.
    static func message(_ raw: [UInt8]) -> MIMEPart {
        let bytes = withCRLF(raw)
        // The header block ends at the first empty line (CR LF CR LF).
        var split = bytes.count
        var index = 0
        while index + 3 < bytes.count {
            if bytes[index] == 13, bytes[index + 1] == 10, bytes[index + 2] == 13, bytes[index + 3] == 10 {
                split = index
                break
            }
            index += 1
        }
        let head = String(decoding: bytes[..<split], as: UTF8.self)
        let body = split + 4 <= bytes.count ? Array(bytes[(split + 4)...]) : []
        return MIMEPart(headers: MIMEHeader.parse(head), body: body)
    }

    /// `bytes` with every `\n` made `\r\n` when it has no `\r` at all (a message saved with Unix line ends).
    static func withCRLF(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.contains(13), bytes.contains(10) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 40)
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == 10 && previous != 13 { out.append(13) }
            out.append(byte)
            previous = byte
        }
        return out
    }
}

extension UInt8 {
    fileprivate var isASCIIWhitespace: Bool { self == 32 || self == 9 || self == 10 || self == 13 }
}
