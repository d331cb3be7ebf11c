import Foundation
import TestSupport
import Testing

/// The executable needs nothing beside it: its resources are compiled in.
@Suite("The executable on its own")
struct ReleaseLayoutTests {
    @Test("copied alone to another folder and started from a third, it serves: the labeled set and the OpenAPI description are in it")
    func alone() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-alone-\(UUID().uuidString)")
        let bin = folder.appendingPathComponent("bin")
        let work = folder.appendingPathComponent("work")
        for directory in [bin, work] { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
        let executable = bin.appendingPathComponent("chatbuddy")
        try FileManager.default.copyItem(at: CrashRecoveryTests.root.appendingPathComponent(".build/debug/chatbuddy"), to: executable)
        #expect(try FileManager.default.contentsOfDirectory(atPath: bin.path) == ["chatbuddy"])
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            let server = try ServerProcess.start(
                root: CrashRecoveryTests.root, graphURL: graphURL, databaseURL: "sqlite:" + work.appendingPathComponent("db.sqlite").path,
                executable: executable, directory: work)
            defer { server.kill() }
            let gateway = GatewayHarness(baseURL: "http://127.0.0.1:\(server.port)", upstream: upstream)
            let description = try await gateway.request(.GET, "/api/v1/openapi.yaml")
            #expect(description.status == 200 && description.body.hasPrefix("openapi: 3.1"))
            // A greeting is understood (the intent classifier trained on the compiled-in labeled set) and answered.
            #expect(try await gateway.webhook(Messenger.body(Messenger.text("alone-1", from: "A1", "szia"))).status == 200)
            let sent = try await upstream.waitForRequests(1)
            #expect((((sent.first?.json["message"] as? NSDictionary)?["text"] as? String) ?? "").hasPrefix("Szia!"))
            #expect(server.terminate() == 0)
        }
    }
}
