/// What the delivery worker does with one outbox row, as its channel's policy decided.
public enum DeliveryAction: Sendable, Hashable {
    /// Send the row as it is.
    case send
    /// Send this approved template in the row's place (the service window has closed).
    case sendTemplate(payload: String)
    /// Keep the row as `needs_template` until someone sends a template.
    case awaitTemplate(reason: String)
    /// Keep the row unsent, without spending an attempt, until the recipient comes back.
    case hold(reason: String)
    /// Do not send the row, for a reason recorded on it.
    case suppress(reason: String)
    /// Record that the recipient opted out of the channel, and do not send the row.
    case optOut(reason: String)
    /// Give the row up for good.
    case deadLetter(reason: String)
    /// Try again after `after`.
    case retry(reason: String, after: Duration)
    /// Record the row as sent, with the platform's message id.
    case recordSent(platformMessageID: String?)
}
