/// A UNAS shop: products from the imported catalog, orders from the UNAS API when a key is configured.
public struct UNASWebshop: Webshop {
    public let catalog: Catalog
    /// The order API, when a key is configured.
    public let client: UNASClient?

    public init(catalog: Catalog, client: UNASClient?) {
        self.catalog = catalog
        self.client = client
    }

    public func search(_ query: ProductQuery) async throws -> [ProductMatch] {
        catalog.current.search(query)
    }

    public func product(sku: String) async throws -> Product? {
        catalog.current.product(sku: sku)
    }

    public func brands() async throws -> Set<String> {
        catalog.current.brandNames
    }

    public func order(key: String, verification: String) async throws -> Order? {
        guard let client else { throw WebshopError.ordersUnavailable }
        guard let order = try await client.order(key: key), order.isVerified(by: verification) else { return nil }
        return order
    }
}
