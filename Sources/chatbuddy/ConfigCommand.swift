import Agents
import ArgumentParser
import Foundation
import Gateway
import Logging

/// Loading the configuration and logging the same way in every command.
enum ConfigCommand {
    /// The configuration the options name (with the demo content when asked for), or exit 2 after printing
    /// `file:line: key: reason` to standard error.
    static func load(_ options: ConfigOptions) throws -> GatewayConfig {
        do {
            var config = try ConfigLoader().load(path: options.config)
            let environment = ProcessInfo.processInfo.environment["CHATBUDDY_DEMO"] ?? ""
            if options.demo || ["1", "true", "yes"].contains(environment.lowercased()) {
                let folder = URL(fileURLWithPath: options.config).deletingLastPathComponent().appendingPathComponent("demo").path
                config.enableDemo(directory: folder)
            }
            return config
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Checks the agents' files (templates, knowledge, offers) the configuration names, or exits 2 after
    /// printing `file: key: reason` to standard error.
    static func checkAgentFiles(_ config: GatewayConfig) async throws {
        do {
            _ = try await AgentResources.load(directory: config.agent.templatesDirectory, overlay: config.demoDirectory)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    static func bootstrapLogging(level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap(StreamLogHandler.standardOutput)
        var logger = Logger(label: "chatbuddy")
        logger.logLevel = level
        return logger
    }
}
