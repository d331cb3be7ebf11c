/// A UNAS shop: products from the imported catalog, orders from the UNAS API when a key is configured.
public struct UNASWebshop: Webshop {
    public let catalog: Catalog
    /// The order API, when a key is configured.
    public let client: UNASClient?
    /// Failed verifications kept in the store; without it (tests, benchmarks) nothing is counted.
    public let verifications: OrderVerifications?

    public init(catalog: Catalog, client: UNASClient?, verifications: OrderVerifications? = nil) {
        self.catalog = catalog
        self.client = client
        self.verifications = verifications
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

    public func nameCoverage(_ text: String) async throws -> Double {
        catalog.current.nameCoverage(text)
    }

    public func order(key: String, verification: String, requester: String) async throws -> Order? {
        guard let client else { throw WebshopError.ordersUnavailable }
        try await verifications?.check(requester: requester, order: key)
        let order = try await client.order(key: key)
        let verified = order?.isVerified(by: verification) == true
        try await verifications?.record(requester: requester, order: key, verified: verified)
        return verified ? order : nil
    }
}
