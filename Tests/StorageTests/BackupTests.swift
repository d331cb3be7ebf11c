import ChatModel
import Foundation
import Storage
import TestSupport
import Testing

/// Online backups of the SQLite store, and their restore.
@Suite("SQLite backup and restore")
struct BackupTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("chatbuddy-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test("a backup taken while writes go on is one consistent snapshot; restored, it is a working store")
    func backupUnderLoad() async throws {
        let folder = try Self.folder()
        let live = folder.appendingPathComponent("live.sqlite").path
        let store = try await SQLStore.open(url: "sqlite:" + live, logger: TestDatabase.logger)
        let pool = Task { await store.run() }
        defer { pool.cancel() }
        try await store.migrate()
        // Writers store two messages of a conversation in one transaction, over and over.
        let writers = Task {
            var round = 0
            while !Task.isCancelled {
                let key = ConversationKey(channel: .messenger, accountID: "P", userID: "U\(round % 20)")
                let pair = (0..<2).map { InboundEvent(conversation: key, platformID: "w\(round)-\($0)", timestamp: Date(), content: .text("szia \(round)")) }
                _ = try await store.accept(pair, receivedAt: Date())
                round += 1
                // Steady writes, not a busy loop that starves the tests running beside this one.
                try await Task.sleep(for: .milliseconds(2))
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        var copies: [String] = []
        for index in 0..<3 {
            let path = folder.appendingPathComponent("copy\(index).sqlite").path
            let version = try SQLiteBackup.backup(from: live, to: path)
            #expect(version >= 15)
            copies.append(path)
            try await Task.sleep(for: .milliseconds(50))
        }
        writers.cancel()
        _ = await writers.result
        #expect(throws: SQLiteBackup.Failure.self) { try SQLiteBackup.backup(from: live, to: copies[0]) }

        for (index, copy) in copies.enumerated() {
            let restoredPath = folder.appendingPathComponent("restored\(index).sqlite").path
            _ = try SQLiteBackup.restore(from: copy, to: restoredPath)
            let restored = try await SQLStore.open(url: "sqlite:" + restoredPath, logger: TestDatabase.logger)
            let restoredPool = Task { await restored.run() }
            #expect(try await restored.migrate() == [], "already at the latest schema")
            let conversations = try await restored.conversations(channel: nil, mode: nil, before: nil, limit: 50).items
            #expect(!conversations.isEmpty)
            for conversation in conversations {
                let messages = try #require(try await restored.messages(conversationID: conversation.id, before: nil, limit: 500)).items
                #expect(messages.count % 2 == 0, "every transaction whole or not at all")
            }
            // It takes new work like any store.
            let outcome = try await restored.accept([StoreTests.event("after-restore-\(index)")], receivedAt: Date())
            #expect(outcome.stored == 1)
            try await restored.close()
            restoredPool.cancel()
        }
        try await store.close()
    }

    @Test("a restore checks the backup first: a file that is not a ChatBuddy database is refused, the store untouched")
    func refusesWhatIsNotABackup() throws {
        let folder = try Self.folder()
        let junk = folder.appendingPathComponent("junk.sqlite").path
        try Data("not a database at all".utf8).write(to: URL(fileURLWithPath: junk))
        let target = folder.appendingPathComponent("store.sqlite").path
        #expect(throws: (any Error).self) { try SQLiteBackup.restore(from: junk, to: target) }
        #expect(throws: SQLiteBackup.Failure.self) { try SQLiteBackup.restore(from: folder.appendingPathComponent("missing").path, to: target) }
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}
