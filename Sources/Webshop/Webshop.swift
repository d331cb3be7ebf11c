import Foundation

/// The shop's data the agents may ask for; each webshop platform (UNAS first) is one implementation.
public protocol Webshop: Sendable {
    /// Products matching a customer's words and filters, best first.
    func search(_ query: ProductQuery) async throws -> [ProductMatch]
    /// The product with this sku, if the catalog has it.
    func product(sku: String) async throws -> Product?
    /// The catalog's brands, folded (lower case, no accents).
    func brands() async throws -> Set<String>
    /// How much of `text` names a product (see `SearchIndex.nameCoverage`): 1 when some product is named by every word.
    func nameCoverage(_ text: String) async throws -> Double
    /// The order with this key, only when `verification` (the order's email or phone number) matches it;
    /// nil both when there is no such order and when the detail does not match, so neither leaks. Failures
    /// count against `requester` (a participant, `channel:user`) and the order number, across conversations;
    /// throws `WebshopError.verificationLocked` while either has failed too often.
    func order(key: String, verification: String, requester: String) async throws -> Order?
}

/// Why the shop could not answer about orders.
public enum WebshopError: Error, Sendable, Equatable {
    /// No order API is configured (the catalog alone answers product questions).
    case ordersUnavailable
    /// Too many failed verifications by this requester or for this order number; try again after `until`.
    case verificationLocked(until: Date)
}
