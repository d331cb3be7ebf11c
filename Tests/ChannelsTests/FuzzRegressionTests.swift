import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

/// Inputs the fuzz targets (bench/fuzz) once crashed on, kept under `Tests/Fixtures/fuzz/TARGET/`.
@Suite("Fuzz findings stay fixed")
struct FuzzRegressionTests {
    static func inputs(_ target: String) throws -> [(String, Data)] {
        let folder = Fixtures.folder.appendingPathComponent("fuzz/\(target)")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            ($0, try Data(contentsOf: folder.appendingPathComponent($0)))
        }
    }

    @Test("Twilio forms: a negative NumMedia trapped on an empty range")
    func twilio() throws {
        let inputs = try Self.inputs("fuzz-twilio")
        #expect(!inputs.isEmpty)
        for (name, data) in inputs {
            let form = FormEncoding.decode(String(decoding: data, as: UTF8.self))
            _ = try? TwilioWebhook().status(form)
            let event = try? TwilioWebhook().message(form)
            if case .attachments = event?.content { Issue.record("\(name): media from a negative count") }
        }
        let negative = try TwilioWebhook().message([
            ("MessageSid", "SM1"), ("From", "+36301234567"), ("To", "+3617000123"), ("Body", "szia"), ("NumMedia", "-5"),
        ])
        #expect(negative.content == .text("szia"))
    }
}
