import Foundation
import Hummingbird
import Storage
import Webshop

/// `/api/v1/admin/products` and `/api/v1/admin/orders`: the catalog as the agents search it, and the shop's
/// orders, for operators; bearer `ADMIN_API_KEY`.
struct CatalogRoutes {
    let auth: AdminAuthMiddleware
    let catalog: Catalog
    let shop: UNASWebshop
    let store: any Store

    /// A product as a search result or a product card shows it.
    struct ProductSummary: Encodable {
        var sku: String
        var name: String
        var price: Double
        var salePrice: Double?
        var stock: Double?
        var inStock: Bool
        var category: String?
        var brand: String?
        var imageURL: String?
        var url: String?
        var score: Double?

        init(_ product: Product, score: Double?, at date: Date) {
            sku = product.sku
            name = product.name
            price = product.price
            salePrice = product.salePrice(at: date)
            stock = product.stock
            inStock = product.inStock
            category = product.category
            brand = product.brand
            imageURL = product.imageURL
            url = product.url
            self.score = score
        }

        enum CodingKeys: String, CodingKey {
            case sku, name, price, stock, category, brand, url, score
            case salePrice = "sale_price"
            case inStock = "in_stock"
            case imageURL = "image_url"
        }
    }

    struct SearchAnswer: Encodable {
        var products: [ProductSummary]
        var catalogSize: Int

        enum CodingKeys: String, CodingKey {
            case products
            case catalogSize = "catalog_size"
        }
    }

    struct ChangeSummary: Encodable {
        var field: String
        var oldValue: Double?
        var newValue: Double?
        var changedAt: Date

        enum CodingKeys: String, CodingKey {
            case field
            case oldValue = "old_value"
            case newValue = "new_value"
            case changedAt = "changed_at"
        }
    }

    struct ProductAnswer: Encodable {
        var product: Product
        var changes: [ChangeSummary]
    }

    func add(to router: Router<GatewayRequestContext>) {
        let admin = router.group("/api/v1/admin/products").add(middleware: auth)
        admin.get { request, _ in
            let query = try Self.query(request.uri.queryParameters)
            let now = Date()
            let index = catalog.current
            let matches = index.search(query, at: now)
            return try AdminRoutes.json(SearchAnswer(
                products: matches.map { ProductSummary($0.product, score: $0.score, at: now) }, catalogSize: index.products.count))
        }
        admin.get("/{sku}") { _, context in
            let sku = try context.parameters.require("sku")
            guard let product = catalog.current.product(sku: sku) else { throw APIError.notFound("no product \(sku)") }
            let changes = try await store.catalogChanges(sku: sku, limit: 50).map {
                ChangeSummary(field: $0.field, oldValue: $0.oldValue, newValue: $0.newValue, changedAt: $0.changedAt)
            }
            return try AdminRoutes.json(ProductAnswer(product: product, changes: changes))
        }
        router.group("/api/v1/admin/orders").add(middleware: auth).get("/{key}") { _, context in
            try await order(try context.parameters.require("key"))
        }
    }

    /// The order with this key, as the shop reports it (operators need no customer verification).
    private func order(_ key: String) async throws -> Response {
        guard let client = shop.client else {
            throw APIError(.serviceUnavailable, "orders_unavailable", "order look-up needs the UNAS API key (UNAS_API_KEY)")
        }
        do {
            guard let order = try await client.order(key: key) else { throw APIError.notFound("no order \(key)") }
            return try AdminRoutes.json(order)
        } catch let error as UNASError {
            switch error {
            case .api(let message): throw APIError(.badRequest, "unas_error", message)
            case .ipBanned, .unavailable, .loginFailed, .malformedAnswer:
                throw APIError(.badGateway, "unas_unavailable", error.description)
            }
        }
    }

    /// `q`, `min_price`, `max_price`, `in_stock`, `category`, `brand`, `limit` as a search.
    static func query(_ parameters: Hummingbird.Parameters) throws -> ProductQuery {
        func price(_ name: String) throws -> Double? {
            guard let value = parameters[Substring(name)] else { return nil }
            guard let price = Double(value), price >= 0 else {
                throw APIError(.badRequest, "invalid_\(name)", "\(name) must be a non-negative number")
            }
            return price
        }
        var limit = 10
        if let value = parameters["limit"] {
            guard let parsed = Int(value), (1...100).contains(parsed) else {
                throw APIError(.badRequest, "invalid_limit", "limit must be between 1 and 100")
            }
            limit = parsed
        }
        return ProductQuery(
            parameters["q"].map(String.init) ?? "", minPrice: try price("min_price"), maxPrice: try price("max_price"),
            inStockOnly: parameters["in_stock"].map { $0 == "true" || $0 == "1" } ?? false,
            category: parameters["category"].map(String.init), brand: parameters["brand"].map(String.init), limit: limit)
    }
}
