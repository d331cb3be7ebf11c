import Foundation

/// `chatbuddy serve` on a fresh SQLite file and a free port, configured for Messenger.
struct GatewayProcess {
    let port: Int
    let process: Process
    let folder: URL

    static func start(executable: String, graphURL: String) throws -> GatewayProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["serve"]
        var environment = ProcessInfo.processInfo.environment
        environment.merge([
            "HOST": "127.0.0.1", "PORT": "0", "LOG_LEVEL": "info",
            "DATABASE_URL": "sqlite:" + folder.appendingPathComponent("bench.sqlite").path,
            "MESSENGER_VERIFY_TOKEN": "bench", "MESSENGER_APP_SECRET": WebhookBodies.appSecret,
            "MESSENGER_PAGE_ACCESS_TOKEN": "bench-token", "META_GRAPH_BASE_URL": graphURL,
        ]) { $1 }
        process.environment = environment
        let output = try FileHandle(forWritingTo: log)
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, process.isRunning {
            let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:"), let port = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                return GatewayProcess(port: port, process: process, folder: folder)
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        process.terminate()
        throw BenchError("chatbuddy did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
