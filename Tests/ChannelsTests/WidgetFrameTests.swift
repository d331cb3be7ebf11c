import Channels
import ChatModel
import Foundation
import Testing

@Suite("Widget frames")
struct WidgetFrameTests {
    func parse(_ text: String, max: Int = 100) throws(WidgetError) -> WidgetClientFrame {
        try WidgetClientFrame.parse(text, maxCharacters: max)
    }

    func kind(_ text: String, max: Int = 100) -> WidgetError.Kind? {
        do {
            _ = try parse(text, max: max)
            return nil
        } catch {
            return error.kind
        }
    }

    @Test("client frames of docs/architecture.md §4")
    func clientFrames() throws {
        #expect(try parse(#"{"type":"ping"}"#) == .ping)
        #expect(try parse(#"{"type":"session_info"}"#) == .sessionInfo)
        let track = #"{"type":"track","event":"cart_updated","cart_id":"c-1"}"#
        #expect(try parse(track) == .track(track), "the gateway reads the event from the frame as sent")
        guard case .chatMessage(let input) = try parse(
            #"{"type":"chat_message","content":" Van piros? ","session_id":"s","user_id":"u-1","message_id":"m-1","timestamp":"2026-11-22T10:00:00Z"}"#)
        else { Issue.record("not a chat message"); return }
        #expect(input.content == "Van piros?")
        #expect(input.messageID == "m-1")
        #expect(input.userID == "u-1")
        guard case .chatMessage(let tap) = try parse(#"{"type":"chat_message","content":"Termékek","payload":"MENU_PRODUCTS"}"#)
        else { Issue.record("not a chat message"); return }
        #expect(tap.quickReplyPayload == "MENU_PRODUCTS")
    }

    @Test("bad frames name their error type")
    func badFrames() {
        #expect(kind("") == .invalidJSON)
        #expect(kind("[1,2]") == .invalidJSON)
        #expect(kind(#"{"type":7}"#) == .invalidJSON)
        #expect(kind(#"{"type":"typing"}"#) == .unknownType)
        #expect(kind(#"{"type":"chat_message","content":""}"#) == .emptyMessage)
        #expect(kind(#"{"type":"chat_message","content":"\u0000\u0007"}"#) == .emptyMessage)
        #expect(kind(#"{"type":"chat_message","content":"123456"}"#, max: 5) == .messageTooLong)
        // Characters as people count them: five flags are five characters.
        #expect(kind(#"{"type":"chat_message","content":"🇭🇺🇭🇺🇭🇺🇭🇺🇭🇺"}"#, max: 5) == nil)
        #expect(kind(#"{"type":"chat_message","content":"ok","message_id":"\#(String(repeating: "a", count: 65))"}"#) == .invalidJSON)
    }

    @Test("normalization: NFC, line breaks, control and bidi characters")
    func normalize() {
        let composed = WidgetInput.normalize("a\u{301}rvi\u{301}zt\u{171}ro\u{30B}")
        #expect(composed.unicodeScalars.map(\.value) == [0xE1, 0x72, 0x76, 0xED, 0x7A, 0x74, 0x171, 0x72, 0x151])
        #expect(WidgetInput.normalize("e\u{301}") == "é")
        #expect(WidgetInput.normalize("egy\r\nkettő\rhárom") == "egy\nkettő\nhárom")
        #expect(WidgetInput.normalize("a\u{0}b\u{1B}[31mc\u{7F}d\u{85}") == "ab[31mcd")
        #expect(WidgetInput.normalize("\u{202E}gonosz\u{2066}") == "gonosz")
        #expect(WidgetInput.normalize("👩‍👩‍👧 család\tfül") == "👩‍👩‍👧 család\tfül", "joiners and tabs stay")
    }

    @Test("several replies render as one chat_response payload")
    func renderer() throws {
        let response = AgentResponse(
            replies: [
                Reply(text: "Ezeket találtam:", cards: [Card(title: "Bögre", subtitle: "3 490 Ft", sku: "B-1")]),
                Reply(text: "Segíthetek még?", quickReplies: [QuickReply(title: "Igen", payload: "YES")]),
            ],
            agent: .productInfo, confidence: 0.8)
        let context = ReplyContext(
            conversation: ConversationKey(channel: .widget, accountID: "web", userID: "sess-1"),
            inReplyTo: "sess-1:m-9", language: .hu, processingTime: .milliseconds(1500))
        let rendering = WidgetRenderer().render(response, context: context)
        #expect(rendering.messages.count == 1)
        let stored = try WidgetReply.decode(rendering.messages[0].payload)
        #expect(stored.inReplyTo == "m-9")
        #expect(stored.content == "Ezeket találtam:\n\nSegíthetek még?")
        #expect(stored.agentType == .productInfo)
        #expect(stored.processingTime == 1.5)
        #expect(stored.reply.cards?.map(\.sku) == ["B-1"])
        #expect(stored.reply.quickReplies?.map(\.payload) == ["YES"])
        #expect(WidgetRenderer().render(.silent(.general), context: context).messages.isEmpty)

        let frame = WidgetServerFrame.chatResponse(.init(messageID: "widget:9:0", timestamp: Date(timeIntervalSince1970: 0), stored: stored)).json()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(frame.utf8)) as? NSDictionary)
        #expect(object["type"] as? String == "chat_response")
        let data = try #require(object["data"] as? NSDictionary)
        #expect(data["timestamp"] as? String == "1970-01-01T00:00:00.000Z")
        #expect(data["agent_type"] as? String == "product_info")
        #expect((data["metadata"] as? NSDictionary)?["processing_time"] as? Double == 1.5)
    }
}
