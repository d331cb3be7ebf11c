import Foundation
@testable import Gateway
import TestSupport
import Testing

@Suite("The OpenAPI description of the admin API")
struct OpenAPITests {
    /// `path → methods` as the served document lists them.
    static func documented(_ yaml: String) -> [String: Set<String>] {
        var paths: [String: Set<String>] = [:]
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if let match = line.wholeMatch(of: /\ \ (\/[^:]+):/) {
                current = String(match.1)
                paths[current!] = []
            } else if let match = line.wholeMatch(of: /\ \ \ \ (get|post|put|patch|delete):.*/), let path = current {
                paths[path]?.insert(String(match.1).uppercased())
            } else if !line.hasPrefix(" "), !line.isEmpty {
                current = nil
            }
        }
        return paths
    }

    @Test("is served at /api/v1/openapi.yaml as OpenAPI 3.1, and names every admin route of a gateway with every channel on")
    func everyAdminRouteIsDescribed() async throws {
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: try await TestDatabase.sqlite.makeURL())
            WhatsAppEndToEndTests.configure(&config)
            EmailEndToEndTests.configure(&config)
            try await Gateway.withStore(url: config.storage.url, logger: TestDatabase.logger) { store in
                let parts = try await Gateway.makeParts(config: config, store: store, logger: TestDatabase.logger)
                let served = Set(parts.router.routes.map { "\($0.method.rawValue) \($0.path)" }.filter { $0.contains(" /api/v1/admin") })
                try await parts.httpClient.shutdown()
                let document = Self.documented(OpenAPIRoutes.document)
                let described = Set(document.flatMap { path, methods in methods.map { "\($0) \(path)" } })
                #expect(served.count > 20)
                #expect(served.subtracting(described).sorted() == [], "admin routes missing from openapi.yaml")
                #expect(described.subtracting(served).sorted() == [], "openapi.yaml describes routes that do not exist")
            }
            try await GatewayHarness.run(config: config, upstream: upstream) { gateway in
                let answer = try await gateway.request(.GET, "/api/v1/openapi.yaml")
                #expect(answer.status == 200 && answer.body.hasPrefix("openapi: 3.1.0"))
                #expect(answer.headers.first(name: "Content-Type")?.hasPrefix("application/yaml") == true)
            }
        }
    }
}
