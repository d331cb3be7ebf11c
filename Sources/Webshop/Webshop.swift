/// The shop's data the agents may ask for; each webshop platform (UNAS first) is one implementation.
public protocol Webshop: Sendable {
    /// Products matching a customer's words and filters, best first.
    func search(_ query: ProductQuery) async throws -> [ProductMatch]
    /// The product with this sku, if the catalog has it.
    func product(sku: String) async throws -> Product?
}
