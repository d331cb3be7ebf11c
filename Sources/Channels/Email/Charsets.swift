import Foundation

/// Text in the charsets mail arrives in: UTF-8, ISO-8859-1 and -2, Windows-1250 and -1252, UTF-16.
enum Charsets {
    /// `bytes` decoded as `charset`; an unknown or missing charset is read as UTF-8, and bytes that are not
    /// valid in it as Latin-1, so text is never dropped.
    static func decode(_ bytes: some Collection<UInt8>, charset: String?) -> String {
        let data = Data(bytes)
        if let encoding = encoding(named: charset), let text = String(data: data, encoding: encoding) { return text }
        if let text = String(data: data, encoding: .utf8) { return text }
        return String(data: data, encoding: .isoLatin1) ?? String(decoding: data, as: UTF8.self)
    }

    static func encoding(named name: String?) -> String.Encoding? {
        switch name?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "utf-8", "utf8": .utf8
        case "us-ascii", "ascii": .ascii
        case "iso-8859-1", "iso8859-1", "latin1", "l1": .isoLatin1
        case "iso-8859-2", "iso8859-2", "latin2", "l2": .isoLatin2
        case "windows-1250", "cp1250": .windowsCP1250
        case "windows-1252", "cp1252": .windowsCP1252
        case "utf-16", "utf16": .utf16
        default: nil
        }
    }
}
