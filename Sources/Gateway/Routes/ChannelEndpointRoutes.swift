import Channels
import ChatModel
import Foundation
import HTTPTypes
import Hummingbird
import Storage

/// The endpoints channels serve besides their webhooks (`ChannelParts.endpoints`): open ones at their
/// path, admin ones under `/api/v1/admin` behind the admin key.
struct ChannelEndpointRoutes {
    let endpoints: [ChatModel.Channel: [ChannelEndpoint]]
    let auth: AdminAuthMiddleware
    let publicBaseURL: String
    let store: any Store
    let metrics: GatewayMetrics

    func add(to router: Router<GatewayRequestContext>) {
        let admin = router.group("/api/v1/admin").add(middleware: auth)
        let services = ChannelServices { [store] key, topic, granted in
            try await store.setConsent(key, topic: topic, granted: granted, at: Date())
        }
        for (channel, list) in endpoints {
            for endpoint in list {
                let method: HTTPRequest.Method = endpoint.method == .get ? .get : .post
                let path = RouterPath(endpoint.path)
                let handler: @Sendable (Request, GatewayRequestContext) async throws -> Response = { request, context in
                    try await serve(endpoint, channel: channel, request: request, context: context, services: services)
                }
                switch endpoint.access {
                case .open: router.on(path, method: method, use: handler)
                case .admin: admin.on(path, method: method, use: handler)
                }
            }
        }
    }

    private func serve(
        _ endpoint: ChannelEndpoint, channel: ChatModel.Channel, request: Request, context: GatewayRequestContext,
        services: ChannelServices
    ) async throws -> Response {
        let body = endpoint.method == .post ? try await request.webhookBody(upTo: endpoint.maxBodyBytes, channel: channel, metrics: metrics) : ByteBuffer()
        var parameters: [String: String] = [:]
        for name in endpoint.path.split(separator: "/") where name.hasPrefix("{") && name.hasSuffix("}") {
            let key = String(name.dropFirst().dropLast())
            parameters[key] = context.parameters.get(key)
        }
        let channelRequest = request.channelRequest(
            route: WebhookRoute(endpoint.method, endpoint.path), publicBaseURL: publicBaseURL, body: body, parameters: parameters)
        do {
            return WebhookRoutes.response(try await endpoint.handle(channelRequest, services))
        } catch {
            throw APIError(HTTPResponse.Status(code: error.status), error.code, error.message)
        }
    }
}
