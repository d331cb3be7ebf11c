/// A customer as the gateway knows them on one channel.
public struct Participant: Codable, Sendable, Hashable {
    public var channel: Channel
    public var platformUserID: String
    public var displayName: String?

    public init(channel: Channel, platformUserID: String, displayName: String? = nil) {
        self.channel = channel
        self.platformUserID = platformUserID
        self.displayName = displayName
    }
}
