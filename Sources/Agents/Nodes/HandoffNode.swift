import ChatModel
import Foundation

/// Hands the conversation to a human: the gateway switches it to human mode and records the request for
/// operators; the customer is told someone will answer. Outside operator hours the request is recorded,
/// the customer is told when a person will reply, and the bot goes on answering.
struct HandoffNode: AgentNode {
    let name = AgentType.handoff.rawValue
    let resources: AgentResources
    var hours: OperatorHours?

    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.answeredBy = .handoff
        turn.memory.awaiting = nil
        let reason = String((turn.text.isEmpty ? (turn.payload ?? "handoff") : turn.text).prefix(500))
        if let hours, !hours.isOpen(at: turn.now) {
            turn.actions.append(.handoffLater(reason: reason))
            let when = hours.nextOpening(after: turn.now).map { Self.describe($0, hours.timeZone, turn.language) }
            turn.say(resources.text("handoff_after_hours", turn.language, when.map { ["when": $0] } ?? [:]))
            return NodeStep("after_hours", next: "output_guardrails")
        }
        turn.actions.append(.handoff(reason: reason))
        turn.say(resources.text("handoff_started", turn.language))
        return NodeStep("requested", next: "output_guardrails")
    }

    /// "hétfő 9:00" or "Monday 9:00", in the operators' time zone.
    static func describe(_ date: Date, _ timeZone: TimeZone, _ language: Language) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let names = language == .hu
            ? ["vasárnap", "hétfő", "kedd", "szerda", "csütörtök", "péntek", "szombat"]
            : ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
        let day = names[((parts.weekday ?? 1) - 1) % 7]
        return "\(day) \(parts.hour ?? 0):\(String(format: "%02d", parts.minute ?? 0))"
    }
}
