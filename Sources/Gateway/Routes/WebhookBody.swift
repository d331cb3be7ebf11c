import ChatModel
import Hummingbird

extension Request {
    /// The webhook's body, or 413 when it is over `limit` bytes (counted as `too_large` for `channel`).
    func webhookBody(upTo limit: Int, channel: ChatModel.Channel, metrics: GatewayMetrics) async throws -> ByteBuffer {
        if let length = headers[.contentLength].flatMap(Int.init), length > limit {
            metrics.webhook(channel, result: "too_large")
            throw APIError(.contentTooLarge, "payload_too_large", "body exceeds \(limit) bytes")
        }
        do {
            return try await body.collect(upTo: limit)
        } catch {
            metrics.webhook(channel, result: "too_large")
            throw APIError(.contentTooLarge, "payload_too_large", "body exceeds \(limit) bytes")
        }
    }
}
