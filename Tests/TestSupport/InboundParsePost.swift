/// SendGrid Inbound Parse posts for tests, with the boundary SendGrid's samples use (`xYzZY`).
public enum InboundParsePost {
    public static let contentType = "multipart/form-data; boundary=xYzZY"

    /// "Árvíztűrő tükörfúrógép" in ISO-8859-2.
    public static let latin2: [UInt8] = [
        0xC1, 0x72, 0x76, 0xED, 0x7A, 0x74, 0xFB, 0x72, 0xF5, 0x20, 0x74, 0xFC, 0x6B, 0xF6, 0x72, 0x66, 0xFA, 0x72, 0xF3, 0x67, 0xE9, 0x70,
    ]

    /// A post of `fields` (name, raw bytes), in order.
    public static func body(_ fields: [(String, [UInt8])]) -> [UInt8] {
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--xYzZY\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n".utf8) + value + Array("\r\n".utf8)
        }
        return body + Array("--xYzZY--\r\n".utf8)
    }
}
