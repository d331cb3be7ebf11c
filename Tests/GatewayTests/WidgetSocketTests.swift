import Foundation
import Gateway
import HTTPTypes
import TestSupport
import Testing

@Suite("Widget socket protocol")
struct WidgetSocketTests {
    static let session = "sess-0123456789"

    @Test("connects with connection_established and an empty history; ping, session_info")
    func handshake() async throws {
        try await GatewayHarness.run { gateway in
            let socket = gateway.widget(Self.session, query: "?user_id=customer-42")
            let hello = try await socket.next()
            #expect(hello.type == "connection_established")
            #expect(hello["session_id"] as? String == Self.session)
            // An id without the shop's signature is not taken as true, nor shown back.
            #expect(hello["user_id"] == nil || hello["user_id"] is NSNull)
            #expect((hello["connection_id"] as? String)?.isEmpty == false)
            #expect(hello["timestamp"] is String)
            let history = try await socket.next()
            #expect(history.type == "history")
            #expect((history["messages"] as? NSArray)?.count == 0)

            socket.send(#"{"type":"ping"}"#)
            #expect(try await socket.next().type == "pong")
            socket.send(#"{"type":"session_info"}"#)
            let info = try await socket.next("session_info")
            #expect(info["session_id"] as? String == Self.session)
            #expect(info["connection_id"] as? String == hello["connection_id"] as? String)
            #expect(info["connections"] as? Int == 1)
            try await socket.close()
        }
    }

    @Test("answers sent back to back arrive in the order of the frames they answer, after the greeting")
    func answersInOrder() async throws {
        try await GatewayHarness.run { gateway in
            let socket = gateway.widget(Self.session)
            // Sent before the greeting is read, so the answers queue behind it.
            let kinds = (0..<60).map { $0 % 3 == 0 ? "session_info" : "ping" }
            for kind in kinds { socket.send(#"{"type":"\#(kind)"}"#) }
            #expect(try await socket.next().type == "connection_established")
            #expect(try await socket.next().type == "history")
            var answered: [String] = []
            for _ in kinds { answered.append(try await socket.next().type) }
            #expect(answered == kinds.map { $0 == "ping" ? "pong" : "session_info" })
            try await socket.close()
        }
    }

    @Test("a chat message is echoed and answered with a chat_response carrying the neutral reply")
    func chatTurn() async throws {
        try await GatewayHarness.run { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            let id = socket.say("Szia!")
            let echo = try await socket.next("chat_message")
            #expect(echo["message_id"] as? String == id)
            #expect(echo["content"] as? String == "Szia!")
            let response = try await socket.next("chat_response")
            #expect(response["in_reply_to"] as? String == id)
            #expect(response["agent_type"] as? String == "general")
            #expect((response["confidence"] as? Double).map { $0 > 0 && $0 <= 1 } == true)
            #expect((response["content"] as? String)?.hasPrefix("Szia!") == true)
            #expect((response["message_id"] as? String)?.isEmpty == false)
            #expect(response["timestamp"] is String)
            let metadata = try #require(response["metadata"] as? NSDictionary)
            #expect((metadata["processing_time"] as? Double).map { $0 >= 0 } == true)
            #expect(metadata["language"] as? String == "hu")
            let reply = try #require(response["reply"] as? NSDictionary)
            #expect(reply["text"] as? String == response["content"] as? String)
            let chips = try #require(reply["quick_replies"] as? [NSDictionary])
            #expect(chips.map { $0["payload"] as? String } == ["MENU_PRODUCTS", "MENU_ORDER", "MENU_CONTACT"])

            // A tapped quick reply goes through as one, with its payload.
            let tap = socket.say("Termékek", extra: #""payload":"MENU_PRODUCTS""#)
            let choice = try await socket.next("chat_response")
            #expect(choice["in_reply_to"] as? String == tap)
            // The payload, not the words, decides: the product agent asks what the customer is looking for.
            #expect(choice["agent_type"] as? String == "product_info")
            #expect((choice["content"] as? String)?.hasPrefix("Milyen terméket keresel?") == true)
            try await socket.close()
        }
    }

    @Test("every bad frame gets its error frame and the socket stays open")
    func errorFrames() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.maxMessageCharacters = 20 }) { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            let cases: [(send: () -> Void, type: String)] = [
                ({ socket.say("   \n\t ") }, "empty_message"),
                ({ socket.send(#"{"type":"chat_message"}"#) }, "empty_message"),
                ({ socket.say(String(repeating: "á", count: 21)) }, "message_too_long"),
                ({ socket.send("{not json") }, "invalid_json"),
                ({ socket.send(#"{"type":"chat_message","content":5}"#) }, "invalid_json"),
                ({ socket.send(#"{"content":"szia"}"#) }, "invalid_json"),
                ({ socket.say("szia", id: "no spaces allowed") }, "invalid_json"),
                ({ socket.sendBinary([0x7B, 0x7D]) }, "invalid_json"),
                ({ socket.send(#"{"type":"subscribe"}"#) }, "unknown_type"),
            ]
            for (send, type) in cases {
                send()
                let error = try await socket.next("error")
                #expect(error["error_type"] as? String == type)
                #expect((error["error_message"] as? String)?.isEmpty == false)
                #expect(error["timestamp"] is String)
            }
            // Exactly at the limit is fine, and the socket still answers.
            socket.say(String(repeating: "á", count: 20))
            _ = try await socket.next("chat_response")
            socket.send(#"{"type":"ping"}"#)
            _ = try await socket.next("pong")
            #expect(try await socket.pending("chat_message", after: .zero).count == 1)
            #expect(try await gateway.widgetMessages().count == 2, "only the valid message (and its reply) was stored")
            try await socket.close()
        }
    }

    @Test("a frame above max_frame_bytes closes the socket with 1009")
    func frameTooBig() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.maxFrameBytes = 1024 }) { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            socket.say(String(repeating: "x", count: 2000))
            let close = try await socket.outcome()
            #expect(close?.closeCode == .messageTooLarge)
        }
    }

    @Test("text is NFC-normalized and control characters are stripped before it is stored")
    func normalization() async throws {
        try await GatewayHarness.run { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            socket.say("Ka\u{301}ve\u{301}fo\u{30B}zo\u{30B}\u{7}\u{202E} \r\nkell")
            let echo = try await socket.next("chat_message")
            #expect(echo["content"] as? String == "Kávéfőző \nkell")
            #expect((echo["content"] as? String)?.unicodeScalars.count == 14)
            _ = try await socket.next("chat_response")
            let stored = try await gateway.widgetMessages().last?["text"] as? String
            #expect(stored?.unicodeScalars.map(\.value) == "Kávéfőző \nkell".precomposedStringWithCanonicalMapping.unicodeScalars.map(\.value))
            try await socket.close()
        }
    }

    @Test("two sockets on one session see the same conversation")
    func twoTabs() async throws {
        try await GatewayHarness.run { gateway in
            let first = gateway.widget(Self.session)
            let second = gateway.widget(Self.session)
            _ = try await first.next("history")
            _ = try await second.next("history")
            let id = first.say("köszönöm")
            for tab in [first, second] {
                #expect(try await tab.next("chat_message")["message_id"] as? String == id)
                let response = try await tab.next("chat_response")
                #expect(response["in_reply_to"] as? String == id)
                #expect((response["content"] as? String)?.hasPrefix("Szívesen") == true)
            }
            second.send(#"{"type":"session_info"}"#)
            #expect(try await second.next("session_info")["connections"] as? Int == 2)
            // A socket on another session sees none of it.
            let stranger = gateway.widget("sess-somebody-else")
            _ = try await stranger.next("history")
            #expect(try await stranger.pending("chat_response").isEmpty)
            for socket in [first, second, stranger] { try await socket.close() }
        }
    }

    @Test("reconnecting replays the history, then only new frames", arguments: TestDatabase.engines)
    func reconnect(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            let first = socket.say("Szia!")
            let firstReply = try await socket.next("chat_response")
            let second = socket.say("köszi")
            let secondReply = try await socket.next("chat_response")
            try await socket.close()

            let again = gateway.widget(Self.session)
            _ = try await again.next("connection_established")
            let history = try await again.next("history")
            let entries = try #require(history["messages"] as? [NSDictionary])
            #expect(entries.map { $0["type"] as? String } == ["chat_message", "chat_response", "chat_message", "chat_response"])
            let data = entries.compactMap { $0["data"] as? NSDictionary }
            #expect(data.map { $0["message_id"] as? String } == [
                first, firstReply["message_id"] as? String, second, secondReply["message_id"] as? String,
            ])
            #expect(data[1]["content"] as? String == firstReply["content"] as? String)
            #expect(data[1]["agent_type"] as? String == "general")
            #expect((data[1]["reply"] as? NSDictionary)?["quick_replies"] != nil)
            #expect(try await again.pending("chat_response").isEmpty, "replayed answers are not sent twice")
            try await again.close()
        }
    }

    @Test("an answer a socket just received is in the history of a socket opened right after", arguments: TestDatabase.engines)
    func reconnectRightAfterAnswer(engine: TestDatabase) async throws {
        let lifted = GatewayConfig.RateLimit(perMinute: 60_000, burst: 10_000)
        try await GatewayHarness.run(engine: engine, configure: {
            $0.widget?.addressLimit = lifted
            $0.widget?.socketLimits.perAddress = 100
        }) { gateway in
            // Many sessions at once widen the gap between pushing an answer and recording it as sent.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        let session = "sess-burst-\(index)"
                        let socket = gateway.widget(session)
                        _ = try await socket.next("history", timeout: .seconds(30))
                        socket.say("Szia!")
                        // 24 turns at once take a while on a busy machine; the point is what the history holds.
                        let answer = try await socket.next("chat_response", timeout: .seconds(30))
                        let again = gateway.widget(session)
                        let history = try await again.next("history", timeout: .seconds(30))
                        let ids = (history["messages"] as? [NSDictionary] ?? []).compactMap {
                            ($0["data"] as? NSDictionary)?["message_id"] as? String
                        }
                        #expect(ids.contains(answer["message_id"] as? String ?? "?"), "session \(index)")
                        for client in [socket, again] { try await client.close() }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    @Test("history replay is limited to history_count messages")
    func historyCount() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.historyCount = 3 }) { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            for text in ["egy", "kettő", "három"] {
                socket.say(text)
                _ = try await socket.next("chat_response")
            }
            try await socket.close()
            let again = gateway.widget(Self.session)
            let entries = try #require(try await again.next("history")["messages"] as? [NSDictionary])
            #expect(entries.count == 3)
            #expect(((entries.first?["data"] as? NSDictionary)?["content"] as? String)?.isEmpty == false)
            #expect(entries.first?["type"] as? String == "chat_response", "the oldest ones are dropped")
            try await again.close()
        }
    }

    @Test("messages over the session's rate get rate_limited and the socket stays open")
    func sessionRateLimit() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.sessionLimit = .init(perMinute: 1, burst: 3) }) { gateway in
            let socket = gateway.widget(Self.session)
            _ = try await socket.next("history")
            for index in 0..<3 {
                socket.say("üzenet \(index)")
                _ = try await socket.next("chat_response")
            }
            socket.say("egy túl sok")
            let error = try await socket.next("error")
            #expect(error["error_type"] as? String == "rate_limited")
            #expect((error["error_message"] as? String)?.contains("try again in") == true)
            socket.send(#"{"type":"ping"}"#)
            _ = try await socket.next("pong")
            // Another session has its own bucket.
            let other = gateway.widget("sess-another-one")
            _ = try await other.next("history")
            other.say("szia")
            _ = try await other.next("chat_response")
            try await socket.close()
            try await other.close()
        }
    }

    @Test("connections over the address's rate are refused")
    func addressRateLimit() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.addressLimit = .init(perMinute: 1, burst: 2) }) { gateway in
            let sockets = [gateway.widget("sess-aaaaaaaa"), gateway.widget("sess-bbbbbbbb")]
            for socket in sockets { _ = try await socket.next("history") }
            await #expect(throws: (any Error).self) { try await gateway.widget("sess-cccccccc").outcome() }
            let plain = try await gateway.request(.GET, "/ws/chat/sess-cccccccc")
            #expect(plain.status == 429)
            #expect(plain.errorCode == "rate_limited")
            #expect(plain.headers.first(name: "Retry-After").flatMap(Int.init).map { $0 > 0 } == true)
            for socket in sockets { try await socket.close() }
        }
    }

    @Test("open sockets are capped per session and per address: one too many gets a rate_limited frame and close 1008; a plain GET says 429")
    func socketCaps() async throws {
        try await GatewayHarness.run(configure: {
            $0.widget?.socketLimits = .init(perAddress: 3, perSession: 2, total: 100)
        }) { gateway in
            let first = [gateway.widget("sess-one-0001"), gateway.widget("sess-one-0001")]
            for socket in first { _ = try await socket.next("history") }
            let plain = try await gateway.request(.GET, "/ws/chat/sess-one-0001")
            #expect(plain.status == 429)
            #expect(plain.errorCode == "rate_limited")
            let refused = gateway.widget("sess-one-0001")
            let error = try await refused.next("error")
            #expect(error["error_type"] as? String == "rate_limited")
            #expect((error["error_message"] as? String)?.contains("for this session") == true)
            #expect(try await refused.outcome()?.closeCode == .policyViolation)
            #expect(try await refused.pending("history", after: .zero).isEmpty, "no history for a refused socket")

            let third = gateway.widget("sess-two-0002")
            _ = try await third.next("history")
            let fourth = gateway.widget("sess-three-03")
            #expect((try await fourth.next("error")["error_message"] as? String)?.contains("from this address") == true)
            #expect(try await gateway.request(.GET, "/ws/chat/sess-three-03").status == 429)
            // A closed socket frees its place.
            try await third.close()
            try await Task.sleep(for: .milliseconds(200))
            let again = gateway.widget("sess-three-03")
            _ = try await again.next("history")
            try await again.close()
            for socket in first { try await socket.close() }
        }
    }

    @Test("a socket whose page stays silent past the idle time is closed; one that pings stays")
    func idleSockets() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.socketIdleTimeout = .seconds(1) }) { gateway in
            let silent = gateway.widget("sess-silent-01")
            let chatty = gateway.widget("sess-chatty-01")
            _ = try await silent.next("history")
            _ = try await chatty.next("history")
            for _ in 0..<8 {
                chatty.send(#"{"type":"ping"}"#)
                try await Task.sleep(for: .milliseconds(250))
            }
            let closed = try await silent.outcome()
            #expect(closed?.closeCode == .goingAway)
            chatty.send(#"{"type":"ping"}"#)
            _ = try await chatty.next("pong")
            try await chatty.close()
        }
    }

    @Test("only allowed page origins may open the socket")
    func origins() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.allowedOrigins = ["https://*.shop.hu", "http://localhost:*"] }) { gateway in
            let port = Int(gateway.baseURL.split(separator: ":").last!)!
            for origin in ["https://www.shop.hu", "http://localhost:3000", "http://127.0.0.1:\(port)"] {
                #expect(try await RawUpgrade.statusLine(port: port, path: "/ws/chat/\(Self.session)", origin: origin).contains(" 101 "), "\(origin)")
            }
            for origin in ["https://evil.example", "https://shop.hu.evil.example", "https://shop.hu", "null"] {
                // The WebSocket layer refuses the upgrade with a bare 400; the same GET without the
                // upgrade headers says why.
                let refused = try await RawUpgrade.statusLine(port: port, path: "/ws/chat/\(Self.session)", origin: origin)
                #expect(refused.hasPrefix("HTTP/1.1 4"), "\(origin): \(refused)")
                let plain = try await gateway.request(.GET, "/ws/chat/\(Self.session)", headers: [("Origin", origin)])
                #expect(plain.status == 403)
                #expect(plain.errorCode == "origin_not_allowed")
            }
            let badSession = try await gateway.request(.GET, "/ws/chat/short")
            #expect(badSession.status == 400)
            #expect(badSession.errorCode == "invalid_session")
            #expect(try await gateway.request(.GET, "/ws/chat/\(Self.session)").status == 426)
        }
    }
}
