import Foundation
import Hummingbird

/// `GET /api/v1/openapi.yaml`: the OpenAPI 3.1 description of the admin API (a test checks every admin route is in it).
struct OpenAPIRoutes {
    /// The description, compiled into the binary (`Sources/Gateway/Resources/openapi.yaml`).
    static let document = String(decoding: PackageResources.openapi_yaml, as: UTF8.self)

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/api/v1/openapi.yaml") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: Self.document)))
        }
    }
}
