import Channels
import ChatModel
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Storage

/// `/webhooks/{channel}` and `/webhooks/{channel}/{subpath}`: every channel's webhook through one route.
/// The channel's intake verifies and reads the request; its events are stored before the platform gets
/// the acknowledgement, so a store failure is answered 503 and the platform retries.
struct WebhookRoutes {
    /// The intake of each enabled channel.
    let intakes: [ChatModel.Channel: any WebhookIntake]
    /// The server's external address, which platforms sign requests over.
    let publicBaseURL: String
    let inbox: Inbox
    let metrics: GatewayMetrics

    func add(to router: Router<GatewayRequestContext>) {
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/webhooks/{channel}", method: method) { request, context in
                try await receive(request, context: context, subpath: "")
            }
            router.on("/webhooks/{channel}/{subpath}", method: method) { request, context in
                try await receive(request, context: context, subpath: context.parameters.get("subpath") ?? "")
            }
        }
    }

    private func receive(_ request: Request, context: GatewayRequestContext, subpath: String) async throws -> Response {
        let channel = ChatModel.Channel(rawValue: context.parameters.get("channel") ?? "")
        guard let intake = intakes[channel] else { throw APIError.notFound("\(channel.rawValue) is not configured") }
        let method: WebhookRoute.Method = request.method == .get ? .get : .post
        let route = WebhookRoute(method, subpath)
        guard intake.routes.contains(route) else { throw APIError.notFound("no such webhook") }
        let body = method == .post ? try await request.webhookBody(upTo: intake.maxBodyBytes, channel: channel, metrics: metrics) : ByteBuffer()
        let webhook = request.channelRequest(route: route, publicBaseURL: publicBaseURL, body: body)
        let result: WebhookIntakeResult
        do {
            result = try intake.handle(webhook)
        } catch {
            metrics.webhook(channel, result: error.metric)
            throw APIError(HTTPResponse.Status(code: error.status), error.code, error.message)
        }
        switch result {
        case .reply(let reply, let ignored):
            count(ignored, channel: channel, logger: context.logger)
            return Self.response(reply)
        case .events(let batch, let acknowledgement):
            count(batch.ignored, channel: channel, logger: context.logger)
            if batch.events.contains(where: { $0.senderUnverified == true }) {
                context.logger.notice("the sender failed authentication; it is answered without order details")
            }
            let outcome: AcceptOutcome
            do {
                outcome = try await inbox.accept(batch.events, channel: channel)
            } catch {
                metrics.webhook(channel, result: "store_unavailable")
                context.logger.error("cannot store webhook events", metadata: ["error": "\(error)"])
                throw APIError(.serviceUnavailable, "store_unavailable", "events could not be stored; retry later")
            }
            metrics.webhook(channel, result: outcome.stored == 0 && outcome.duplicates > 0 ? "duplicate" : "accepted")
            context.logger.debug(
                "webhook stored",
                metadata: ["stored": "\(outcome.stored)", "duplicates": "\(outcome.duplicates)", "receipts": "\(outcome.receipts)"])
            return Self.response(acknowledgement)
        }
    }

    /// Counts the event kinds the gateway ignores, and logs them once per request.
    private func count(_ ignored: [String], channel: ChatModel.Channel, logger: Logger) {
        guard !ignored.isEmpty else { return }
        for kind in ignored { metrics.ignoredEvent(channel, kind: kind) }
        logger.info("webhook carried event kinds the gateway ignores", metadata: ["kinds": "\(ignored)"])
    }

    static func response(_ reply: WebhookReply) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = reply.contentType
        return Response(status: .init(code: reply.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: reply.body)))
    }
}

extension Request {
    /// The request as a channel sees it: its route, the public URL, the query (with `parameters` added), the
    /// headers by lower-cased name and the body.
    func channelRequest(
        route: WebhookRoute, publicBaseURL: String, body: ByteBuffer, parameters: [String: String] = [:]
    ) -> WebhookRequest {
        var headers: [String: String] = [:]
        for field in self.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        var query = parameters
        for (name, value) in uri.queryParameters where query[String(name)] == nil {
            query[String(name)] = String(value)
        }
        return WebhookRequest(
            route: route, publicURL: publicBaseURL + uri.description, query: query, headers: headers, body: Array(body.readableBytesView))
    }
}
