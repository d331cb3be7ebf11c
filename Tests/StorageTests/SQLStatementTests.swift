import Testing

@testable import Storage

/// Which statements may run on a reader connection beside the writer, and how fragments built apart are bound.
@Suite("SQL statements")
struct SQLStatementTests {
    @Test("a SELECT and a WITH that only selects are reads; writes, and a WITH that writes, are not")
    func reads() {
        let id: Int64 = 7
        let reads: [SQLStatement] = [
            "SELECT id FROM outbox WHERE id = \(id)",
            "  select updated_at FROM outbox",
            "WITH RECURSIVE c(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM c WHERE id < 3) SELECT id, updated_at FROM c",
        ]
        let writes: [SQLStatement] = [
            "UPDATE outbox SET state = 'sent' WHERE id = \(id)",
            "INSERT INTO outbox (id) VALUES (\(id))",
            "WITH gone AS (SELECT id FROM outbox WHERE id = \(id)) DELETE FROM outbox WHERE id IN (SELECT id FROM gone)",
            "WITH c(id) AS (SELECT \(id)) UPDATE outbox SET state = 'sent' WHERE id IN (SELECT id FROM c)",
        ]
        let readsSeen = reads.map { $0.isRead }
        let writesSeen = writes.map { $0.isRead }
        #expect(readsSeen == [true, true, true])
        #expect(writesSeen == [false, false, false, false])
    }

    @Test("a fragment built apart keeps its bound values, numbered where it is placed")
    func nestedFragment() {
        let id: Int64 = 7
        let claimant = "gw-1"
        let free: SQLStatement = "(claimed_by IS NULL OR claimed_by = \(claimant))"
        let statement: SQLStatement = "SELECT id FROM outbox WHERE id > \(id) AND \(free) LIMIT \(4)"
        let rendered = statement.render(.postgres)
        #expect(rendered.sql == "SELECT id FROM outbox WHERE id > $1 AND (claimed_by IS NULL OR claimed_by = $2) LIMIT $3")
        #expect(rendered.binds == [.int(7), .text("gw-1"), .int(4)])
    }
}
