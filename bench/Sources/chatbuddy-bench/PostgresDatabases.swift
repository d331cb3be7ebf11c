import Foundation
import Logging
import Storage

/// Empty databases on a PostgreSQL server (such as `scripts/with-postgres.sh`'s), one per run.
enum PostgresDatabases {
    /// A new empty database on the server at `server`, as a URL.
    static func fresh(on server: String, prefix: String) async throws -> String {
        let name = prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try PostgresDatabaseEngine(url: server, logger: Logger(label: "bench"))
        let pool = Task { await admin.run() }
        defer { pool.cancel() }
        try await admin.query(SQLStatement(stringLiteral: "CREATE DATABASE \(name)"))
        var components = URLComponents(string: server)!
        components.path = "/" + name
        return components.string!
    }
}
