/// What a channel keeps about one conversation between turns, apart from the agents' memory: the
/// options it last showed as a numbered list, and button payloads too long for the platform.
public struct ChannelState: Codable, Sendable, Hashable {
    /// A button payload sent as a short reference, because the platform could not carry it.
    public struct PayloadReference: Codable, Sendable, Hashable {
        public var reference: String
        public var payload: String

        public init(reference: String, payload: String) {
            self.reference = reference
            self.payload = payload
        }
    }

    /// The options last shown as a numbered list (SMS, email), which a bare number picks.
    public var choices: [QuickReply]
    /// Payloads sent by reference (Telegram's 64-byte `callback_data`), oldest first.
    public var payloads: [PayloadReference]

    public init(choices: [QuickReply] = [], payloads: [PayloadReference] = []) {
        self.choices = choices
        self.payloads = payloads
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        choices = try container.decodeIfPresent([QuickReply].self, forKey: .choices) ?? []
        payloads = try container.decodeIfPresent([PayloadReference].self, forKey: .payloads) ?? []
    }

    /// The payload sent as `reference`, while it is still kept.
    public func payload(for reference: String) -> String? {
        payloads.last { $0.reference == reference }?.payload
    }
}
