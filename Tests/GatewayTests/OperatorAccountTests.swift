import Foundation
import Gateway
import Storage
import TestSupport
import Testing

@Suite("Operator accounts")
struct OperatorAccountTests {
    @Test("added with a bcrypt hash, one per address in any case, listed, checked at login, disabled", arguments: TestDatabase.engines)
    func accounts(engine: TestDatabase) async throws {
        try await engine.withStore { store in
            let accounts = OperatorAccounts(store: store, cost: 4)
            let anna = try await accounts.add(email: "Anna@Bolt.example.hu", name: "Anna", role: .admin, password: "correct horse battery")
            #expect(anna.email == "anna@bolt.example.hu" && anna.role == .admin && anna.disabledAt == nil)
            let stored = try #require(try await store.operatorCredentials(email: "anna@bolt.example.hu"))
            #expect(stored.passwordHash.hasPrefix("$2") && !stored.passwordHash.contains("correct horse"))
            await #expect(throws: OperatorAccounts.Failure.exists("anna@bolt.example.hu")) {
                try await accounts.add(email: "ANNA@bolt.example.hu", name: "Anna 2", role: .operator, password: "another long password")
            }
            await #expect(throws: OperatorAccounts.Failure.passwordTooShort(minimum: 12)) {
                try await accounts.add(email: "bela@bolt.example.hu", name: "Béla", role: .operator, password: "short-pass1")
            }
            await #expect(throws: OperatorAccounts.Failure.invalidEmail("bela")) {
                try await accounts.add(email: "bela", name: "Béla", role: .operator, password: "long enough password")
            }
            _ = try await accounts.add(email: "bela@bolt.example.hu", name: "Béla", role: .operator, password: "long enough password")
            #expect(try await store.operators().map(\.email) == ["anna@bolt.example.hu", "bela@bolt.example.hu"])

            #expect(try await accounts.verify(email: "anna@bolt.example.hu", password: "correct horse battery")?.name == "Anna")
            #expect(try await accounts.verify(email: "anna@bolt.example.hu", password: "correct horse batterx") == nil)
            #expect(try await accounts.verify(email: "nobody@bolt.example.hu", password: "correct horse battery") == nil)
            #expect(try await store.disableOperator(email: "ANNA@bolt.example.hu", at: Date()))
            #expect(try await accounts.verify(email: "anna@bolt.example.hu", password: "correct horse battery") == nil, "a disabled account cannot log in")
            #expect(try await !store.disableOperator(email: "nobody@bolt.example.hu", at: Date()))
        }
    }

    @Test("chatbuddy operator add reads the password from standard input; list and disable")
    func commands() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-operators-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = GatewayHarness.packageRoot.appendingPathComponent("webhooks.yml").path
        let environment = ["DATABASE_URL": "sqlite:\(folder.path)/chatbuddy.sqlite"]
        func run(_ arguments: [String], input: String? = nil) async throws -> (Int32, String) {
            try await ChatbuddyCommand.run(["operator"] + arguments + ["--config", config], environment: environment, input: input)
        }
        let (added, output) = try await run(
            ["add", "anna@bolt.example.hu", "--name", "Anna", "--role", "admin", "--password-stdin"], input: "correct horse battery\n")
        #expect(added == 0, "\(output)")
        #expect(output.contains("added anna@bolt.example.hu (admin)"))
        let (short, shortOutput) = try await run(["add", "bela@bolt.example.hu", "--name", "Béla", "--password-stdin"], input: "short\n")
        #expect(short == 1)
        #expect(shortOutput.contains("at least 12 characters"))
        let (noStdin, _) = try await run(["add", "bela@bolt.example.hu", "--name", "Béla"])
        #expect(noStdin != 0, "the password is never an argument")
        let (_, list) = try await run(["list"])
        #expect(list.contains("anna@bolt.example.hu\tAnna\tadmin\tactive"))
        #expect(!list.contains("bela@"))
        #expect(try await run(["disable", "anna@bolt.example.hu"]).0 == 0)
        #expect(try await run(["list"]).1.contains("anna@bolt.example.hu\tAnna\tadmin\tdisabled"))
        #expect(try await run(["disable", "nobody@bolt.example.hu"]).0 == 1)
    }
}
