import Foundation
import TestSupport
import Testing

/// `chatbuddy backup` and `restore` against a real server process.
@Suite("Backup and restore commands")
struct BackupCommandTests {
    @Test("backup copies the store while the server runs; restore is refused then, and works once it stopped")
    func backupWhileServing() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-backup-cmd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let database = "sqlite:" + folder.appendingPathComponent("gateway.sqlite").path
        let backup = folder.appendingPathComponent("backup.sqlite").path
        let config = CrashRecoveryTests.root.appendingPathComponent("webhooks.yml").path
        let environment = ["DATABASE_URL": database]
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            let server = try ServerProcess.start(root: CrashRecoveryTests.root, graphURL: graphURL, databaseURL: database)
            defer { server.kill() }
            let gateway = GatewayHarness(baseURL: "http://127.0.0.1:\(server.port)", upstream: upstream)
            for body in RestartTests.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
            _ = try await upstream.waitForRequests(3)

            let (status, output) = try await ChatbuddyCommand.run(["backup", backup, "--config", config], environment: environment)
            #expect(status == 0, "\(output)")
            #expect(output.contains("backed up to \(backup)"))
            let (again, refusal) = try await ChatbuddyCommand.run(["backup", backup, "--config", config], environment: environment)
            #expect(again == 1 && refusal.contains("never overwrites"))

            let (busy, busyOutput) = try await ChatbuddyCommand.run(["restore", backup, "--config", config], environment: environment)
            #expect(busy == 1)
            #expect(busyOutput.contains("restore refused") && busyOutput.contains("pid \(server.pid)"), "\(busyOutput)")
            #expect(server.terminate() == 0)
        }
        // Stopped, the store is replaced by the backup; a new server finds the three conversations in it.
        let (status, output) = try await ChatbuddyCommand.run(["restore", backup, "--config", config], environment: environment)
        #expect(status == 0, "\(output)")
        let again = FakeUpstream()
        try await again.serve { graphURL in
            let server = try ServerProcess.start(root: CrashRecoveryTests.root, graphURL: graphURL, databaseURL: database)
            defer { server.kill() }
            let gateway = GatewayHarness(baseURL: "http://127.0.0.1:\(server.port)", upstream: again)
            let health = try await gateway.request(.GET, "/health")
            #expect(health.status == 200)
            for body in RestartTests.webhooks() { #expect(try await gateway.webhook(body).status == 200) }
            try await Task.sleep(for: .milliseconds(500))
            #expect(await again.requests.isEmpty, "the restored store knows these messages: retries are not answered again")
            #expect(server.terminate() == 0)
        }
        let (postgres, refused) = try await ChatbuddyCommand.run(
            ["backup", backup + ".pg", "--config", config], environment: ["DATABASE_URL": "postgres://u:p@127.0.0.1:9/db"])
        #expect(postgres == 1 && refused.contains("pg_dump"))
    }
}
