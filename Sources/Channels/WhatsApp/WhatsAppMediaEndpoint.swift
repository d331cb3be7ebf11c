import Foundation

extension WhatsAppMedia {
    /// `GET /api/v1/admin/whatsapp/media/{id}`: a customer's media file's short-lived download link, fetched
    /// from the Graph API when an operator asks.
    var endpoint: ChannelEndpoint {
        ChannelEndpoint(.get, "/whatsapp/media/{id}", access: .admin) { request, _ throws(WebhookRejection) in
            let location: Location
            do {
                location = try await self.location(of: request.query["id"] ?? "")
            } catch {
                throw WebhookRejection(
                    status: 502, code: "media_unavailable", message: "the media's link could not be fetched from the Graph API",
                    metric: "upstream_failed")
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            let body = (try? encoder.encode(location)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
            return WebhookReply(contentType: "application/json; charset=utf-8", body: body)
        }
    }
}
