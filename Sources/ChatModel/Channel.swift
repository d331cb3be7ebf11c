/// A messaging platform the gateway speaks to, named as in routes, storage and metrics
/// (`/webhooks/<name>`). Each channel module declares its own; unknown stored names survive as they are.
public struct Channel: RawRepresentable, Codable, Sendable, Hashable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: Channel, rhs: Channel) -> Bool { lhs.rawValue < rhs.rawValue }

    public static let messenger = Channel(rawValue: "messenger")
    public static let whatsapp = Channel(rawValue: "whatsapp")
    public static let sms = Channel(rawValue: "sms")
    public static let email = Channel(rawValue: "email")
    public static let widget = Channel(rawValue: "widget")
}
