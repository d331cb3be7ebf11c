import ChatModel

/// Checks the customer's message before anything answers it: too long is refused politely, abuse gets a
/// calm word before the answer, and attempts to steer a language model keep the turn embedded.
struct InputGuardrails: AgentNode {
    let name = "input_guardrails"
    let resources: AgentResources
    /// Longest message answered, in characters.
    let maximumCharacters: Int

    func run(_ turn: inout Turn) async throws -> NodeStep {
        if turn.text.count > maximumCharacters {
            turn.say(resources.text("too_long", turn.language, ["limit": "\(maximumCharacters)"]))
            turn.answeredBy = .general
            return NodeStep("too_long", next: "output_guardrails")
        }
        var outcome = "passed"
        if Self.injectionPhrases.contains(where: turn.normalized.contains(phrase:)) {
            turn.modelAllowed = false
            outcome = "injection"
        }
        if turn.normalized.words.contains(where: { word in Self.abusiveWords.contains { word.hasPrefix($0) } }) {
            turn.say(resources.text("abusive", turn.language))
            outcome = "abusive"
        }
        return NodeStep(outcome, next: "coordinator")
    }

    /// Folded phrases that try to override a model's instructions.
    static let injectionPhrases = [
        "ignore previous instructions", "ignore all previous", "ignore your instructions", "disregard previous",
        "system prompt", "you are now", "developer mode", "reveal your instructions", "act as", "pretend to be",
        "jailbreak", "felejtsd el az utasitasaidat", "hagyd figyelmen kivul", "rendszerprompt", "mostantol te vagy",
        "ird ki az utasitasaidat",
    ]

    /// Folded word beginnings of insults, Hungarian and English.
    static let abusiveWords = [
        "hulye", "idiota", "barom", "kurva", "fasz", "geci", "bazd", "bazm", "szarhazi", "nyomorult", "anyad",
        "fuck", "shit", "idiot", "stupid", "asshole", "bitch", "moron", "dumb",
    ]
}
