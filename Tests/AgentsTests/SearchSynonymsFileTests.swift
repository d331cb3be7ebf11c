import Agents
import Foundation
import Testing
import Webshop

@Suite("The shop's search synonyms file")
struct SearchSynonymsFileTests {
    @Test("the shipped file loads; an unknown key names the file and the key")
    func loading() throws {
        let shipped = try SearchSynonymsFile.load(path: AgentHarness.templates + "/search-synonyms.yml")
        #expect(shipped != .none)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("synonyms-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let bad = folder.appendingPathComponent("search-synonyms.yml").path
        try "shorthands:\n  ps5: playstation 5\nsynonym:\n  a: b\n".write(toFile: bad, atomically: true, encoding: .utf8)
        #expect {
            try SearchSynonymsFile.load(path: bad)
        } throws: { error in
            "\(error)".contains("search-synonyms.yml") && "\(error)".contains("synonym")
        }
    }
}
