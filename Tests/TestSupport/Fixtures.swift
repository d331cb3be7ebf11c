import Foundation

/// Reads files from `Tests/Fixtures`.
public enum Fixtures {
    public static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures")

    public static func data(_ path: String) throws -> Data {
        try Data(contentsOf: folder.appendingPathComponent(path))
    }

    /// A JSON fixture parsed, for comparing JSON by value rather than by bytes.
    public static func json(_ path: String) throws -> NSDictionary {
        try JSONSerialization.jsonObject(with: data(path)) as! NSDictionary
    }
}
