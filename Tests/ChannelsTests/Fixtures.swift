import Foundation

/// Reads files from `Tests/Fixtures`.
enum Fixtures {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(path))
    }

    /// A JSON fixture parsed, for comparing JSON by value rather than by bytes.
    static func json(_ path: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: data(path)) as! NSDictionary
    }
}
