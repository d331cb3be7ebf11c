import Foundation
import Hummingbird

/// `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 description of the admin API (a test checks every admin route is in it).
struct OpenAPIRoutes {
    /// The description, as the package ships it.
    static let document: String = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "yaml"),
            let text = try? String(contentsOf: url, encoding: .utf8)
        else { return "" }
        return text
    }()

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/api/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Self.document)))
        }
    }
}
