import Foundation
import Testing

@Suite("One webhook route for every channel")
struct WebhookRoutesTests {
    @Test("a channel that is not enabled, and a method or path its intake does not serve, answer 404 with the error frame")
    func unknownWebhooks() async throws {
        try await GatewayHarness.run { gateway in
            for (method, path, message) in [
                ("POST", "/webhooks/pigeon", "pigeon is not configured"),
                ("POST", "/webhooks/sms", "sms is not configured"),
                ("POST", "/webhooks/messenger/extra", "no such webhook"),
            ] {
                let answer = try await gateway.request(method == "POST" ? .POST : .GET, path, body: Data("{}".utf8))
                #expect(answer.status == 404, "\(path)")
                #expect(answer.errorCode == "not_found", "\(path)")
                #expect((answer.json["error"] as? NSDictionary)?["message"] as? String == message, "\(path)")
            }
        }
    }
}
