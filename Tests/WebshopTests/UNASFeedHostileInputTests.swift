import Foundation
import Testing

@testable import Webshop

/// Feeds built to make the reader's work grow faster than the feed; timed, so they run in the timed group
/// (scripts/test.sh) rather than beside the whole suite.
@Suite("UNAS feed reader under hostile input")
struct UNASFeedHostileInputTests {
    @Test("a large declared entity referenced over and over stops the reading at its place, in time linear in the feed")
    func entityAmplification() throws {
        // 100,000 references to 8 KB of markup: 800 MB of entity text for a feed of 300 KB.
        let feed = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE Products [<!ENTITY e "\(String(repeating: "<b>y</b>", count: 1000))">]>
            <Products><Product><Sku>Q-1</Sku><Name>\(String(repeating: "&e;", count: 100_000))</Name></Product></Products>
            """
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("feed-amplified-\(UUID().uuidString).xml")
        try Data(feed.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let clock = ContinuousClock()
        let start = clock.now
        let reader = try UNASFeedReader(path: file.path)
        let error = #expect(throws: UNASFeedError.self) { while try reader.next() != nil {} }
        #expect(clock.now - start < .seconds(2))
        #expect(error?.line == 3)
        #expect(error?.reason.contains("entities") == true)
    }
}
