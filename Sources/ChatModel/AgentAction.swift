/// A change an agent asks the gateway to make with its answer, stored in the same transaction.
public enum AgentAction: Codable, Sendable, Hashable {
    /// Switch the conversation to a human operator and record the request for operators.
    case handoff(reason: String)
    /// Record the request for operators who are away (outside operator hours); the bot goes on answering.
    case handoffLater(reason: String)
    /// Record the participant's consent to (or withdrawal from) a kind of marketing message.
    case consent(ConsentTopic, granted: Bool)
}
