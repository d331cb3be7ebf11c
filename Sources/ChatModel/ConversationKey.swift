/// Identifies one conversation: a user on a channel, talking to one of our accounts (page, number, inbox).
public struct ConversationKey: Codable, Sendable, Hashable {
    public var channel: Channel
    /// Our side: the Page id, phone number id, sender address or widget site.
    public var accountID: String
    /// The customer's id on the platform (PSID, wa_id, phone number, email address, widget session).
    public var userID: String

    public init(channel: Channel, accountID: String, userID: String) {
        self.channel = channel
        self.accountID = accountID
        self.userID = userID
    }
}
