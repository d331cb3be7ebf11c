/// A messaging platform the gateway speaks to.
public enum Channel: String, Codable, Sendable, CaseIterable, Hashable {
    case messenger
    case whatsapp
    case sms
    case email
    case widget
}
