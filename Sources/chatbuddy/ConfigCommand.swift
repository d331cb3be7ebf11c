import Agents
import ArgumentParser
import Foundation
import Gateway
import Logging

/// Loading the configuration and logging the same way in every command.
enum ConfigCommand {
    /// The configuration at `path`, or exit 2 after printing `file:line: key: reason` to standard error.
    static func load(_ path: String) throws -> GatewayConfig {
        do {
            return try ConfigLoader().load(path: path)
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }

    /// Checks the agents' files (templates, knowledge, offers) the configuration names, or exits 2 after
    /// printing `file: key: reason` to standard error.
    static func checkAgentFiles(_ config: GatewayConfig) async throws {
        do {
            _ = try await AgentResources.load(directory: config.agent.templatesDirectory)
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
