import Agents
import ChatModel
import Foundation
import Testing

@Suite("Operator hours")
struct OperatorHoursTests {
    static let budapest = TimeZone(identifier: "Europe/Budapest")!

    /// `2026-12-DD HH:MM` in Budapest (December: 2 Wednesday, 4 Friday, 5 Saturday, 6 Sunday, 7 Monday).
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = budapest
        return calendar.date(from: DateComponents(year: 2026, month: 12, day: day, hour: hour, minute: minute))!
    }

    @Test("open within a range's days and hours, in the operators' time zone; the next opening after a closed moment")
    func openings() throws {
        let hours = try OperatorHours("Mon-Fri 09:00-17:00, Sat 09:00-13:00", timeZone: Self.budapest)
        let cases: [(Date, Bool)] = [
            (Self.at(2, 10), true), (Self.at(2, 8, 59), false), (Self.at(2, 17), false), (Self.at(5, 12, 59), true),
            (Self.at(5, 13), false), (Self.at(6, 11), false), (Self.at(7, 9), true),
        ]
        for (date, open) in cases { #expect(hours.isOpen(at: date) == open, "\(date)") }
        #expect(hours.nextOpening(after: Self.at(4, 18)) == Self.at(5, 9))
        #expect(hours.nextOpening(after: Self.at(5, 14)) == Self.at(7, 9))
        #expect(hours.nextOpening(after: Self.at(2, 7)) == Self.at(2, 9))
        let weekend = try OperatorHours("Sat-Sun 10:00-12:00", timeZone: Self.budapest)
        #expect(weekend.isOpen(at: Self.at(6, 11)) && !weekend.isOpen(at: Self.at(7, 11)))
    }

    @Test("specifications that cannot be read say why")
    func invalid() {
        for text in ["Funday 09:00-17:00", "Mon-Fri 9-17", "Mon 17:00-09:00", "Mon-Fri", ""] {
            #expect(throws: OperatorHours.Invalid.self, "\(text)") { try OperatorHours(text, timeZone: Self.budapest) }
        }
    }

    @Test("outside operator hours a request for a human is recorded, the customer told when, and the bot stays")
    func afterHours() async throws {
        // Open only on the day after tomorrow, so it is closed now whenever the test runs.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Self.budapest
        let later = calendar.date(byAdding: .day, value: 2, to: Date())!
        let names = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let hungarian = ["vasárnap", "hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat"]
        let weekday = calendar.component(.weekday, from: later) - 1
        var settings = EmbeddedAgents.Settings()
        settings.operatorHours = try OperatorHours("\(names[weekday]) 09:00-17:00", timeZone: Self.budapest)
        var dialogue = Dialogue(try await AgentHarness.graph(settings: settings))
        let answer = try await dialogue.say("Élő ügyintézővel szeretnék beszélni")
        #expect(answer.actions == [.handoffLater(reason: "Élő ügyintézővel szeretnék beszélni")])
        #expect(answer.text.contains("\(hungarian[weekday]) 9:00-kor"), "\(answer.text)")
    }
}
