import Crypto
import Foundation

/// Meta's `X-Hub-Signature-256` check, shared by Messenger and WhatsApp.
public struct MetaSignature: Sendable {
    private let key: SymmetricKey

    public init(appSecret: String) {
        key = SymmetricKey(data: Data(appSecret.utf8))
    }

    /// True when `header` is `sha256=<hex HMAC-SHA256 of body>`; compares in constant time.
    public func isValid(header: String?, body: UnsafeRawBufferPointer) -> Bool {
        guard let header, header.count == 71, header.hasPrefix("sha256="),
            let digest = HexBytes.decode(header.dropFirst(7))
        else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(digest, authenticating: body, using: key)
    }

    /// The header value Meta would send for `body`; used by tests and the load generator.
    public func header(for body: some DataProtocol) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: body, using: key)
        return "sha256=" + HexBytes.encode(mac)
    }
}

/// Lower-case hexadecimal encoding of bytes.
enum HexBytes {
    static func decode(_ text: Substring) -> [UInt8]? {
        guard text.utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count / 2)
        var high: UInt8?
        for character in text.utf8 {
            guard let nibble = nibble(character) else { return nil }
            if let first = high {
                bytes.append(first << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
