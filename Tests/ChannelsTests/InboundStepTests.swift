import Channels
import ChatModel
import Foundation
import Testing

@Suite("Inbound steps: what a channel does before the agents")
struct InboundStepTests {
    static let key = ConversationKey(channel: .sms, accountID: "+3617000123", userID: "+36301234567")
    static let shown = ChannelState(choices: [QuickReply(title: "Termékek", payload: "MENU_PRODUCTS"), QuickReply(title: "Rendelésem", payload: "MENU_ORDER")])

    static func text(_ text: String) -> InboundEvent {
        InboundEvent(conversation: key, platformID: "SM1", timestamp: Date(timeIntervalSince1970: 0), content: .text(text))
    }

    static func picked(_ title: String, _ payload: String) -> InboundEvent {
        var event = text("")
        event.content = .quickReply(title: title, payload: payload)
        return event
    }

    static let sms = SMSInboundStep(keywords: SMSKeywords())

    @Test("SMS: keywords are the channel's, numbers pick the list shown last, anything else goes to the agents")
    func sms() {
        let cases: [(String, Language, InboundDecision)] = [
            ("STOP", .hu, .optOut),
            (" leiratkozás! ", .hu, .optOut),
            ("START", .en, .reply("You will get our messages again. To opt out, reply STOP.", optIn: true)),
            ("help", .hu, .reply("Ügyfélszolgálat: írj nekünk itt bármikor. Leiratkozás: STOP.", optIn: false)),
            ("2", .hu, .agent(Self.picked("Rendelésem", "MENU_ORDER"))),
            ("#1", .hu, .agent(Self.picked("Termékek", "MENU_PRODUCTS"))),
            ("3", .hu, .agent(Self.text("3"))),
            ("stop sending me coupons", .en, .agent(Self.text("stop sending me coupons"))),
        ]
        for (words, language, expected) in cases {
            #expect(Self.sms.prepare(Self.text(words), state: Self.shown, language: language) == expected, "\(words)")
        }
    }

    @Test("e-mail: a number picks an option; with no list shown it is just text")
    func email() {
        #expect(NumberedChoiceStep().prepare(Self.text("1"), state: Self.shown, language: .hu) == .agent(Self.picked("Termékek", "MENU_PRODUCTS")))
        #expect(NumberedChoiceStep().prepare(Self.text("1"), state: ChannelState(), language: .hu) == .agent(Self.text("1")))
    }

    @Test("the channel's state after a rendering: its numbered options, and payload references up to the limit, newest kept")
    func remembering() {
        var rendering = Rendering()
        rendering.choices = [QuickReply(title: "Igen", payload: "YES")]
        rendering.payloads = ["r:2": "TWO", "r:1": "ONE"]
        let once = Self.shown.remembering(rendering, payloadLimit: 3)
        #expect(once.choices == [QuickReply(title: "Igen", payload: "YES")])
        #expect(once.payload(for: "r:1") == "ONE" && once.payload(for: "r:2") == "TWO")
        var next = Rendering()
        next.payloads = ["r:3": "THREE", "r:4": "FOUR"]
        let twice = once.remembering(next, payloadLimit: 3)
        #expect(twice.choices == once.choices, "a rendering without a list keeps the list shown last")
        #expect(twice.payloads.map(\.reference) == ["r:2", "r:3", "r:4"])
        #expect(twice.payload(for: "r:1") == nil)
    }
}
