import Foundation
import MultipartKit
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

    /// Splits a multipart body on `boundary` into its parts; a body written with bare line feeds only is
    /// read as if they were CRLF (binary parts of a CRLF body are left byte for byte).
    static func parts(of body: [UInt8], boundary: String) throws -> [MIMEPart] {
        let parser = MultipartParser(boundary: boundary)
        var parts: [MIMEPart] = []
        var headers: [(name: String, value: String)] = []
        var bytes: [UInt8] = []
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in bytes += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            parts.append(MIMEPart(headers: headers.map { ($0.name, MIMEHeader.decodeWords($0.value)) }, body: bytes))
            headers = []
            bytes = []
        }
        try parser.execute(withCRLF(body))
        return parts
    }

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
