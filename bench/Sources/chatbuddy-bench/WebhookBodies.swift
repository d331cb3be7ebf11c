import Channels
import Foundation

/// One webhook as its platform posts it: path, headers (signature included) and body, signed in advance.
struct WebhookRequest: Sendable {
    var path: String
    var headers: [(String, String)]
    var body: [UInt8]
}

/// Pre-built, pre-signed webhooks with unique message ids, so signing costs nothing during the runs.
struct WebhookBodies: Sendable {
    static let appSecret = "bench-app-secret"
    let bodies: [WebhookRequest]

    /// These webhooks, as they are.
    init(_ bodies: [WebhookRequest]) {
        self.bodies = bodies
    }

    /// `count` Messenger messages from 500 senders.
    init(count: Int) {
        self.init(ChannelWebhooks.messenger.requests(count: count, customers: 500))
    }
}
