import Foundation
import TestSupport
import Testing

@Suite("chatbuddy import-feed")
struct ImportFeedCommandTests {
    static let config = GatewayHarness.packageRoot.appendingPathComponent("webhooks.yml").path
    static let fixtures = GatewayHarness.packageRoot.appendingPathComponent("Tests/Fixtures/unas")

    static func environment() async throws -> [String: String] {
        ["DATABASE_URL": try await TestDatabase.sqlite.makeURL(), "LOG_LEVEL": "warning"]
    }

    @Test("a feed file is imported with a one-line summary off a terminal; a malformed one exits 1 naming line and column")
    func file() async throws {
        let environment = try await Self.environment()
        let sample = GatewayHarness.packageRoot.appendingPathComponent("demo/catalog/sample-unas.xml").path
        let (status, output) = try await ChatbuddyCommand.run(["import-feed", sample, "--config", Self.config], environment: environment)
        #expect(status == 0, "\(output)")
        #expect(output.contains("imported \(sample): 94 products (94 added, 0 updated, 0 unchanged, 0 removed"))
        #expect(!output.contains("\r"), "no progress bar when the output is not a terminal")

        let again = try await ChatbuddyCommand.run(["import-feed", sample, "--config", Self.config], environment: environment)
        #expect(again.1.contains("(0 added, 0 updated, 94 unchanged"))

        let broken = Self.fixtures.appendingPathComponent("feed_malformed.xml").path
        let (brokenStatus, brokenOutput) = try await ChatbuddyCommand.run(["import-feed", broken, "--config", Self.config], environment: environment)
        #expect(brokenStatus == 1)
        #expect(brokenOutput.contains("\(broken):4:45: Opening and ending tag mismatch"))
        let missing = try await ChatbuddyCommand.run(["import-feed", "/nonexistent/feed.xml", "--config", Self.config], environment: environment)
        #expect(missing.0 == 1)
        #expect(missing.1.contains("/nonexistent/feed.xml:0:0: cannot open the file"))
    }

    @Test("a feed URL is fetched over HTTP; a failing one exits 1 naming it")
    func url() async throws {
        let environment = try await Self.environment()
        let feed = try String(contentsOf: Self.fixtures.appendingPathComponent("getProduct_docs_example_full.xml"), encoding: .utf8)
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 200, body: feed), .init(status: 404, body: "gone")])
        try await upstream.serve { base in
            let (status, output) = try await ChatbuddyCommand.run(["import-feed", base + "/export/feed.xml", "--config", Self.config], environment: environment)
            #expect(status == 0, "\(output)")
            #expect(output.contains("imported \(base)/export/feed.xml: 1 products (1 added"))
            let (failed, failure) = try await ChatbuddyCommand.run(["import-feed", base + "/export/feed.xml", "--config", Self.config], environment: environment)
            #expect(failed == 1)
            #expect(failure.contains("\(base)/export/feed.xml: the server answered 404"))
            let requests = await upstream.requests
            #expect(requests.map(\.method) == ["GET", "GET"])
            #expect(requests.first?.path == "/export/feed.xml")
        }
    }
}
