import Channels
import Hummingbird
import Storage

/// `GET /l/{code}`: the short links of SMS replies and campaigns, redirecting to the page they stand for (each click counted).
struct LinkRoutes {
    let store: any Store

    func add(to router: Router<GatewayRequestContext>) {
        router.get("\(SMSSettings.linkPath)/:code") { _, context in
            let code = try context.parameters.require("code")
            guard code.count <= 16, let url = try await store.followLink(code: code) else {
                throw APIError.notFound("no such link")
            }
            return Response(status: .found, headers: [.location: url])
        }
    }
}
