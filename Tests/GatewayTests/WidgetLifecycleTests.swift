import Foundation
import TestSupport
import Testing

/// The widget's idle conversations in a running gateway: a nudge after the silence, and a new conversation
/// with a greeting after one was closed. Short waits instead of minutes, on the real clock.
@Suite("Widget nudges and closing, end to end")
struct WidgetLifecycleTests {
    @Test("one nudge in the customer's language after the silence, not another")
    func nudge() async throws {
        try await GatewayHarness.run(configure: { config in
            config.widget?.idleNudge = .seconds(1)
            config.widget?.closeAfter = nil
        }) { gateway in
            let socket = gateway.widget("nudge-session-1")
            _ = try await socket.next("history")
            _ = socket.say("Szia!")
            _ = try await socket.next("chat_response", timeout: .seconds(10))
            let nudge = try await socket.next("chat_response", timeout: .seconds(10))
            #expect(nudge["content"] as? String == "Segíthetek még valamiben? Ha kérdésed van, írj nyugodtan.")
            #expect(try await socket.pending("chat_response", after: .seconds(2.5)).isEmpty, "one nudge per silence")
            // The English customer is nudged in English.
            let english = gateway.widget("nudge-session-2")
            _ = try await english.next("history")
            _ = english.say("Hello, do you ship abroad?")
            _ = try await english.next("chat_response", timeout: .seconds(10))
            let nudged = try await english.next("chat_response", timeout: .seconds(10))
            #expect((nudged["content"] as? String)?.hasPrefix("Is there anything else") == true)
            try await socket.close()
            try await english.close()
        }
    }

    @Test("a conversation idle past the limit is closed; the next message starts a new one with a greeting")
    func closeAndGreet() async throws {
        try await GatewayHarness.run(configure: { config in
            config.widget?.idleNudge = nil
            config.widget?.closeAfter = .seconds(1)
        }) { gateway in
            let socket = gateway.widget("close-session-1")
            _ = try await socket.next("history")
            _ = socket.say("Mennyi a szállítás?")
            let first = try await socket.next("chat_response", timeout: .seconds(10))
            #expect((first["content"] as? String)?.hasPrefix("Üdv újra!") == false)
            let deadline = ContinuousClock.now + .seconds(15)
            var closed = false
            while !closed, ContinuousClock.now < deadline {
                let items = try await gateway.admin("/conversations?channel=widget").json["items"] as? [NSDictionary] ?? []
                closed = items.contains { ($0["user_id"] as? String)?.hasPrefix("close-session-1#") == true }
                if !closed { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(closed)
            _ = socket.say("Mennyi a szállítás?")
            let again = try await socket.next("chat_response", timeout: .seconds(10))
            #expect((again["content"] as? String)?.hasPrefix("Üdv újra!") == true, "\(again["content"] ?? "")")
            let items = try await gateway.admin("/conversations?channel=widget").json["items"] as? [NSDictionary] ?? []
            #expect(items.contains { $0["user_id"] as? String == "close-session-1" }, "a new conversation under the session")
            try await socket.close()
        }
    }
}
