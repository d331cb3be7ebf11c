import Agents
import ChatModel
import Foundation
import Testing

@Suite("Built-in general agent")
struct GeneralAgentTests {
    static let templates = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("templates").path

    func agent() async throws -> GeneralAgent {
        GeneralAgent(templates: try await ReplyTemplates(directory: Self.templates, required: GeneralAgent.templateNames))
    }

    func state(_ content: InboundContent, locale: Language?, history: [HistoryEntry] = []) -> ConversationState {
        let key = ConversationKey(channel: .messenger, accountID: "P", userID: "U")
        return ConversationState(
            key: key, mode: .bot, locale: locale, history: history,
            event: InboundEvent(conversation: key, platformID: "m", timestamp: Date(), content: content))
    }

    @Test("language detection", arguments: [
        ("Szia, van még piros bögre?", Language.hu),
        ("Koszonom szepen", .hu),
        ("Hol tart a rendelésem?", .hu),
        ("Hello, do you have this in red?", .en),
        ("Thanks!", .en),
    ])
    func detect(text: String, language: Language) {
        #expect(LanguageDetector.detect(text) == language)
    }

    @Test("no sign of a language gives no answer")
    func undecided() {
        #expect(LanguageDetector.detect("👍") == nil)
        #expect(LanguageDetector.detect("12345") == nil)
    }

    @Test("greets with the menu in the customer's language")
    func greeting() async throws {
        let agent = try await agent()
        let hungarian = try await agent.replies(to: state(.text("Jó napot!"), locale: .hu))
        #expect(hungarian.first?.text?.hasPrefix("Szia!") == true)
        #expect(hungarian.first?.quickReplies?.map(\.title) == ["Termékek", "Rendelésem", "Kapcsolat"])
        let english = try await agent.replies(to: state(.text("hello"), locale: .en))
        #expect(english.first?.text?.hasPrefix("Hi!") == true)
        #expect(english.first?.quickReplies?.map(\.title) == ["Products", "My order", "Contact"])
    }

    @Test("thanks, bot questions, choices in words, attachments, and silence for reactions")
    func answers() async throws {
        let agent = try await agent()
        #expect(try await agent.replies(to: state(.text("köszi!"), locale: .hu)).first?.text?.hasPrefix("Szívesen") == true)
        #expect(try await agent.replies(to: state(.text("Are you a bot?"), locale: .en)).first?.text?.contains("not a person") == true)
        let choice = try await agent.replies(to: state(.postback(title: "Kosárba teszem", payload: "{}", referral: nil), locale: .hu))
        #expect(choice.first?.text?.hasPrefix("Ezt választottad: Kosárba teszem.") == true)
        let file = try await agent.replies(to: state(.attachments([Attachment(kind: .image)], caption: nil), locale: .en))
        #expect(file.first?.text?.contains("attachment") == true)
        let place = try await agent.replies(to: state(.location(Location(latitude: 47, longitude: 19, name: "Bolt")), locale: .hu))
        #expect(place.first?.text == "Köszönöm, megkaptam a helyszínt (Bolt).")
        #expect(try await agent.replies(to: state(.reaction(Reaction(emoji: "👍", removed: false, messageID: "m")), locale: .hu)).isEmpty)
    }

    @Test("says plainly what it cannot do yet; the menu only on a first message")
    func fallback() async throws {
        let agent = try await agent()
        let first = try await agent.replies(to: state(.text("Mennyi a szállítási díj?"), locale: .hu))
        #expect(first.first?.text?.contains("hamarosan") == true)
        #expect(first.first?.quickReplies?.count == 3)
        let later = try await agent.replies(to: state(
            .text("Mennyi a szállítási díj?"), locale: .hu,
            history: [HistoryEntry(direction: .inbound, text: "szia", timestamp: Date())]))
        #expect(later.first?.quickReplies == nil)
    }

    @Test("a template missing from a language folder is named at start")
    func missingTemplate() async {
        do {
            _ = try await ReplyTemplates(directory: Self.templates, required: ["greeting", "no_such_template"])
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".hasSuffix("hu/no_such_template.mustache: template missing"))
        }
    }
}

extension GeneralAgent {
    /// The replies alone, for tests about wording.
    func replies(to state: ConversationState) async throws -> [Reply] {
        try await respond(to: state).replies
    }
}
