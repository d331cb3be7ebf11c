import Foundation

/// `chatbuddy serve` on a fresh SQLite file and a free port, with extra environment (channel secrets, limits).
struct GatewayProcess {
    let port: Int
    let process: Process
    let folder: URL

    static func start(executable: String, environment extra: [String: String]) throws -> GatewayProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let log = folder.appendingPathComponent("server.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        // The demo content: the sample catalog is what the benchmark's questions search.
        process.arguments = ["serve", "--demo"]
        var environment = ProcessInfo.processInfo.environment
        environment.merge([
            "HOST": "127.0.0.1", "PORT": "0", "LOG_LEVEL": "info",
            "DATABASE_URL": "sqlite:" + folder.appendingPathComponent("bench.sqlite").path,
        ]) { $1 }
        environment.merge(extra) { $1 }
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

    /// The CPU time the server used so far, user and system, in seconds (Linux `/proc`, at 100 ticks a second).
    var cpuSeconds: Double {
        Self.cpuSeconds(pid: "\(process.processIdentifier)", command: nil)
    }

    /// The CPU seconds process `pid` used so far; 0 when it is gone or, with `command`, runs another command.
    static func cpuSeconds(pid: String, command: String?) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            command.map({ stat.contains("(\($0))") }) ?? true, let end = stat.lastIndex(of: ")")
        else { return 0 }
        // After the command's closing bracket: state is field 3, utime and stime are fields 14 and 15.
        let fields = stat[stat.index(after: end)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / 100
    }

    /// The server's resident memory now, in bytes (Linux `/proc`).
    func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return nil }
        return kilobytes * 1024
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
