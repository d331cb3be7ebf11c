/// Where a stored message stands: an inbound one from `received` to `processed` (or `failed`,
/// `parked`), an outbound one from `pending` to `sent`, `delivered`, `read` (or `failed`,
/// `suppressed`, `needs_template`).
public enum MessageStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case received, processed, failed, parked
    case pending, sent, delivered, read, suppressed
    case needsTemplate = "needs_template"
}

/// Where an outbox row stands.
public enum OutboxState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Waiting to be sent (or held for a visitor who left, or scheduled for a retry).
    case pending
    case sent
    /// Given up after the attempts or refused for good.
    case dead
    /// Not to be sent (opt-out, no consent, a closed window).
    case suppressed
    /// Waiting for an approved template (WhatsApp's window has closed).
    case needsTemplate = "needs_template"
}

/// Where a request for a human stands.
public enum HandoffState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Waiting for an operator.
    case open
    /// An operator answers the conversation.
    case taken
    /// Handed back to the bot.
    case closed
}
