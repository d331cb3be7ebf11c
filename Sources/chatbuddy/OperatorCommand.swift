import ArgumentParser
import Foundation
import Gateway
import Storage

/// `chatbuddy operator`: the operator accounts of the console.
struct OperatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator", abstract: "Manage operator accounts.", subcommands: [Add.self, List.self, Disable.self])

    /// `chatbuddy operator add EMAIL --name NAME --role admin|operator --password-stdin`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an operator account; the password is read from standard input.",
            discussion: "Passwords shorter than \(OperatorAccounts.minimumPasswordLength) characters are refused (exit 1); only their bcrypt hash is stored.")

        @Argument(help: "The operator's e-mail address, their login.")
        var email: String
        @Option(help: "The operator's name as colleagues see it.")
        var name: String
        @Option(help: "admin or operator.")
        var role: String = "operator"
        @Flag(help: "Read the password from standard input (its first line).")
        var passwordStdin = false
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            guard passwordStdin else { throw ValidationError("--password-stdin is required: the password is never taken as an argument") }
            guard let role = OperatorRole(rawValue: role) else { throw ValidationError("--role must be admin or operator") }
            let password = (readLine(strippingNewline: true) ?? "")
            let config = try ConfigCommand.load(options)
            let logger = ConfigCommand.bootstrapLogging(level: .error)
            do {
                let account = try await Gateway.withStore(url: config.storage.url, logger: logger) { store in
                    try await OperatorAccounts(store: store).add(email: email, name: name, role: role, password: password)
                }
                print("added \(account.email) (\(account.role.rawValue))")
            } catch let failure as OperatorAccounts.Failure {
                FileHandle.standardError.write(Data("\(failure)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    /// `chatbuddy operator list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the operator accounts.")
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try ConfigCommand.load(options)
            let logger = ConfigCommand.bootstrapLogging(level: .error)
            let accounts = try await Gateway.withStore(url: config.storage.url, logger: logger) { try await $0.operators() }
            for account in accounts {
                print("\(account.email)\t\(account.name)\t\(account.role.rawValue)\t\(account.disabledAt == nil ? "active" : "disabled")")
            }
        }
    }

    /// `chatbuddy operator disable EMAIL`.
    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an operator account: it can no longer log in.")
        @Argument(help: "The operator's e-mail address.")
        var email: String
        @OptionGroup var options: ConfigOptions

        func run() async throws {
            let config = try ConfigCommand.load(options)
            let logger = ConfigCommand.bootstrapLogging(level: .error)
            let disabled = try await Gateway.withStore(url: config.storage.url, logger: logger) { store in
                try await store.disableOperator(email: email, at: Date())
            }
            guard disabled else {
                FileHandle.standardError.write(Data("no operator \(email)\n".utf8))
                throw ExitCode(1)
            }
            print("disabled \(email.lowercased())")
        }
    }
}
