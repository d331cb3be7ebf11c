import Foundation

/// The debug `chatbuddy` executable run as an operator would: its exit status and everything it printed.
enum ChatbuddyCommand {
    /// Waits on a Dispatch thread, not one of the threads that run the async work of the tests and servers.
    static func run(_ arguments: [String], environment: [String: String] = [:], input: String? = nil) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try blockingRun(arguments, environment: environment, input: input) })
            }
        }
    }

    private static func blockingRun(_ arguments: [String], environment: [String: String], input: String?) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = GatewayHarness.packageRoot.appendingPathComponent(".build/debug/chatbuddy")
        process.arguments = arguments
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
