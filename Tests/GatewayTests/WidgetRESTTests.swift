import Foundation
import Gateway
import TestSupport
import Testing

@Suite("Widget REST turn")
struct WidgetRESTTests {
    static let session = "rest-0123456789"

    @Test("a turn answers with the chat_response object, the same as on the socket", arguments: TestDatabase.engines)
    func turn(engine: TestDatabase) async throws {
        try await GatewayHarness.run(engine: engine) { gateway in
            let answer = try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"Hello!","user_id":"c-7"}"#)
            #expect(answer.status == 200)
            #expect(answer.json["type"] as? String == "chat_response")
            let data = try #require(answer.json["data"] as? NSDictionary)
            #expect(data["agent_type"] as? String == "general")
            #expect((data["content"] as? String)?.hasPrefix("Hi!") == true)
            #expect((data["metadata"] as? NSDictionary)?["language"] as? String == "en")
            #expect(((data["reply"] as? NSDictionary)?["quick_replies"] as? NSArray)?.count == 3)
            #expect(answer.headers.first(name: "X-Request-ID") != nil)

            // The socket on the same session replays it.
            let socket = gateway.widget(Self.session)
            let history = try #require(try await socket.next("history")["messages"] as? [NSDictionary])
            #expect(history.map { $0["type"] as? String } == ["chat_message", "chat_response"])
            #expect((history[1]["data"] as? NSDictionary)?["message_id"] as? String == data["message_id"] as? String)
            try await socket.close()
        }
    }

    @Test("a resent message gets the same answer and is stored once")
    func resend() async throws {
        try await GatewayHarness.run { gateway in
            let body = #"{"session_id":"\#(Self.session)","content":"szia","message_id":"client-1"}"#
            let first = try await gateway.chat(body)
            let second = try await gateway.chat(body)
            #expect(first.status == 200)
            #expect(second.status == 200)
            let firstData = try #require(first.json["data"] as? NSDictionary)
            let secondData = try #require(second.json["data"] as? NSDictionary)
            #expect(firstData["message_id"] as? String == secondData["message_id"] as? String)
            #expect(firstData["in_reply_to"] as? String == "client-1")
            #expect(try await gateway.widgetMessages().count == 2, "one message in, one reply out")
        }
    }

    @Test("bad bodies get 400 with the JSON error", arguments: [
        ("not json", "invalid_json"),
        (#"{"content":"szia"}"#, "invalid_json"),
        (#"{"session_id":"rest-0123456789","content":7}"#, "invalid_json"),
        (#"{"session_id":"short","content":"szia"}"#, "invalid_session"),
        (#"{"session_id":"rest-0123456789 x","content":"szia"}"#, "invalid_session"),
        (#"{"session_id":"rest-0123456789"}"#, "empty_message"),
        (#"{"session_id":"rest-0123456789","content":" \u0007 "}"#, "empty_message"),
        (#"{"session_id":"rest-0123456789","content":"szia","message_id":"a b"}"#, "invalid_json"),
    ])
    func badBodies(body: String, code: String) async throws {
        try await GatewayHarness.run { gateway in
            let answer = try await gateway.chat(body)
            #expect(answer.status == 400)
            #expect(answer.errorCode == code)
            let error = try #require(answer.json["error"] as? NSDictionary)
            #expect((error["message"] as? String)?.isEmpty == false)
            #expect(error["request_id"] as? String == answer.headers.first(name: "X-Request-ID"))
        }
    }

    @Test("too long messages and bodies are refused")
    func limits() async throws {
        let configure: (inout GatewayConfig) -> Void = {
            $0.widget?.maxMessageCharacters = 10
            $0.widget?.maxFrameBytes = 1024
        }
        try await GatewayHarness.run(configure: configure) { gateway in
            let long = try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"tizenegy betű"}"#)
            #expect(long.status == 400)
            #expect(long.errorCode == "message_too_long")
            let huge = try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"\#(String(repeating: "x", count: 2000))"}"#)
            #expect(huge.status == 413)
        }
    }

    @Test("over the session's rate: 429 with Retry-After")
    func rateLimit() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.sessionLimit = .init(perMinute: 2, burst: 2) }) { gateway in
            for index in 0..<2 {
                #expect(try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"szia \#(index)"}"#).status == 200)
            }
            let limited = try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"még egy"}"#)
            #expect(limited.status == 429)
            #expect(limited.errorCode == "rate_limited")
            #expect(limited.headers.first(name: "Retry-After").flatMap(Int.init).map { (1...30).contains($0) } == true)
        }
    }

    @Test("CORS: allowed pages get the headers and preflights, others 403")
    func cors() async throws {
        try await GatewayHarness.run(configure: { $0.widget?.allowedOrigins = ["https://*.shop.hu"] }) { gateway in
            let preflight = try await gateway.request(
                .OPTIONS, "/api/v1/chat",
                headers: [("Origin", "https://www.shop.hu"), ("Access-Control-Request-Method", "POST")])
            #expect(preflight.status == 204)
            #expect(preflight.headers.first(name: "Access-Control-Allow-Origin") == "https://www.shop.hu")
            #expect(preflight.headers.first(name: "Access-Control-Allow-Methods")?.contains("POST") == true)

            let allowed = try await gateway.chat(
                #"{"session_id":"\#(Self.session)","content":"szia"}"#, headers: [("Origin", "https://www.shop.hu")])
            #expect(allowed.status == 200)
            #expect(allowed.headers.first(name: "Access-Control-Allow-Origin") == "https://www.shop.hu")
            #expect(allowed.headers.first(name: "Vary") == "Origin")
            // Errors carry the headers too, so the page can read them.
            let bad = try await gateway.chat("nope", headers: [("Origin", "https://www.shop.hu")])
            #expect(bad.status == 400)
            #expect(bad.headers.first(name: "Access-Control-Allow-Origin") == "https://www.shop.hu")

            for origin in ["https://evil.example", "http://www.shop.hu"] {
                let refused = try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"szia"}"#, headers: [("Origin", origin)])
                #expect(refused.status == 403)
                #expect(refused.errorCode == "origin_not_allowed")
                #expect(refused.headers.first(name: "Access-Control-Allow-Origin") == nil)
            }
            // Programs send no Origin and are not subject to CORS.
            #expect(try await gateway.chat(#"{"session_id":"rest-program-1","content":"szia"}"#).status == 200)
        }
    }

    @Test("with the widget disabled its routes are gone")
    func disabled() async throws {
        try await GatewayHarness.run(configure: { $0.widget = nil }) { gateway in
            let chat = try await gateway.chat(#"{"session_id":"\#(Self.session)","content":"szia"}"#)
            let socket = try await gateway.request(.GET, "/ws/chat/\(Self.session)")
            let script = try await gateway.request(.GET, "/widget.js")
            #expect(chat.status == 404)
            #expect(socket.status == 404)
            #expect(script.status == 404)
        }
    }

    @Test("widget.js is served from the static folder, and the demo page with the demo content")
    func staticFiles() async throws {
        try await GatewayHarness.run { gateway in
            let root = try await gateway.request(.GET, "/")
            let script = try await gateway.request(.GET, "/widget.js")
            #expect(root.status == 404, "no demo page in production")
            #expect(script.status == 200)
        }
        try await GatewayHarness.run(configure: GatewayHarness.demoWithoutCatalog) { gateway in
            let page = try await gateway.request(.GET, "/")
            #expect(page.status == 200)
            #expect(page.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            #expect(page.body.contains(#"<script src="/widget.js" defer></script>"#))
            let script = try await gateway.request(.GET, "/widget.js")
            #expect(script.status == 200)
            #expect(script.headers.first(name: "Content-Type")?.contains("javascript") == true)
            #expect(!script.body.contains("innerHTML"), "the widget never inserts markup")
        }
    }
}
