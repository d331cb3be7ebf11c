import Channels
import Foundation

/// Pre-built, pre-signed Messenger webhooks with unique message ids, so signing costs nothing during the runs.
struct WebhookBodies: Sendable {
    static let appSecret = "bench-app-secret"
    let bodies: [(body: [UInt8], signature: String)]

    /// These bodies, as they are.
    init(_ bodies: [(body: [UInt8], signature: String)]) {
        self.bodies = bodies
    }

    init(count: Int) {
        let signer = MetaSignature(appSecret: Self.appSecret)
        let run = UUID().uuidString.prefix(8)
        // Current timestamps: the gateway does not answer messages older than the 24-hour window.
        let now = Int(Date().timeIntervalSince1970 * 1000)
        bodies = (0..<count).map { index in
            let user = 1_000_000 + index % 500
            let body = Array(#"""
                {"object":"page","entry":[{"id":"106540352242922","time":1732611450001,"messaging":[{"sender":{"id":"\#(user)"},"recipient":{"id":"106540352242922"},"timestamp":\#(now + index),"message":{"mid":"m_bench_\#(run)_\#(index)","text":"Szia! Van raktáron piros bögre?"}}]}]}
                """#.utf8)
            return (body, signer.header(for: body))
        }
    }
}
