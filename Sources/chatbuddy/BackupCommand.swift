import ArgumentParser
import Gateway
import Storage

/// `chatbuddy backup FILE`: an online, consistent copy of the SQLite store.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite store to FILE, also while the server runs.",
        discussion: "Uses SQLite's backup API: the copy is one consistent snapshot. FILE must not exist. For PostgreSQL use pg_dump.")

    @OptionGroup var options: ConfigOptions
    @Argument(help: "Where to write the copy.") var file: String

    func run() async throws {
        let config = try ConfigCommand.load(options)
        try Self.report("backup") { "backed up to \(file) (schema \(try StoreBackup.backup(config, to: file)))" }
    }

    /// Prints what `action` did, or why it did not happen and exits 1.
    static func report(_ name: String, _ action: () throws -> String) throws {
        do {
            print(try action())
        } catch let failure as SQLiteBackup.Failure {
            print("\(name) failed: \(failure)")
            throw ExitCode(1)
        }
    }
}

/// `chatbuddy restore FILE`: puts a backup in place of the SQLite store, while no server has it.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace the SQLite store with the backup in FILE.",
        discussion: "Refused while a chatbuddy serve has the store. The backup is checked (SQLite's integrity check) first; a newer server migrates it on start. For PostgreSQL use pg_restore.")

    @OptionGroup var options: ConfigOptions
    @Argument(help: "The backup to restore.") var file: String

    func run() async throws {
        let config = try ConfigCommand.load(options)
        try Backup.report("restore") { "restored \(file) (schema \(try StoreBackup.restore(config, from: file))) to \(config.storage.url)" }
    }
}
