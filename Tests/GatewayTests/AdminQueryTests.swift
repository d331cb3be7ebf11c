import Foundation
import Testing

@Suite("Admin API filters")
struct AdminQueryTests {
    @Test("a mode or hand-off state that does not exist is a 400 naming the values, not an empty page")
    func unknownFilters() async throws {
        try await GatewayHarness.run { gateway in
            let mode = try await gateway.admin("/conversations?mode=robot")
            #expect(mode.status == 400 && mode.errorCode == "invalid_mode")
            let state = try await gateway.admin("/handoffs?state=pending")
            #expect(state.status == 400 && state.errorCode == "invalid_state")
            let human = try await gateway.admin("/conversations?mode=human")
            #expect(human.status == 200)
        }
    }

    @Test("taking over, replying and releasing are in the audit log, newest first, with the conversation")
    func auditLog() async throws {
        try await GatewayHarness.run { gateway in
            _ = try await gateway.webhook(Messenger.body(Messenger.text("q1", from: "U1", "Szia!")))
            _ = try await gateway.upstream.waitForRequests(1)
            let items = try await gateway.admin("/conversations").json["items"] as? [NSDictionary] ?? []
            let id = try #require(items.first?["id"] as? Int)
            let headers = [("Authorization", "Bearer \(GatewayHarness.adminKey)"), ("Content-Type", "application/json")]
            _ = try await gateway.request(.POST, "/api/v1/admin/conversations/\(id)/takeover", headers: headers, body: Data(#"{"operator":"Anna"}"#.utf8))
            #expect(try await gateway.operatorReply(conversation: id, #"{"reply":{"text":"Szia, Anna vagyok."}}"#).status == 202)
            _ = try await gateway.request(.POST, "/api/v1/admin/conversations/\(id)/release", headers: headers)
            let audit = try await gateway.admin("/audit-log").json["items"] as? [NSDictionary] ?? []
            #expect(audit.map { $0["action"] as? String } == ["release", "reply", "take_over"])
            #expect(audit.allSatisfy { $0["actor"] as? String == "admin-api" && $0["conversation_id"] as? Int == id })
            #expect(audit.last?["detail"] as? String == "Anna")
        }
    }
}
