/// What a customer may agree to receive beyond answers to their own messages.
public enum ConsentTopic: String, Codable, Sendable, Hashable, CaseIterable {
    /// Promotional email.
    case newsletter
    /// Promotional text messages.
    case sms
}
