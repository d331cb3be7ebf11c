import Foundation

/// A customer's order as the shop reports it.
public struct Order: Sendable, Hashable, Codable {
    /// The order number customers see (`1000-1000000`).
    public var key: String
    public var date: Date?
    /// The shop's status name (`Beérkezett`, `Teljesítve`…).
    public var status: String?
    public var currency: String?
    public var totalGross: Double?
    public var customer: Customer
    public var payment: Payment?
    public var shipping: Shipping?
    public var invoiceNumber: String?
    /// The products bought.
    public var items: [Item]
    /// Shipping, handling and discount lines, kept apart from the products.
    public var charges: [Item]

    public struct Customer: Sendable, Hashable, Codable {
        public var email: String?
        public var name: String?
        public var phone: String?
        public var mobile: String?
    }

    public struct Payment: Sendable, Hashable, Codable {
        public var name: String?
        /// `transfer`, `cod`, `bankcard`…
        public var type: String?
        /// `unpaid`, `paid`, `partly paid`, `overpaid`.
        public var status: String?
    }

    public struct Shipping: Sendable, Hashable, Codable {
        public var name: String?
        public var packageNumber: String?
        public var trackingURL: String?
    }

    public struct Item: Sendable, Hashable, Codable {
        public var sku: String
        public var name: String
        public var quantity: Double
        public var unit: String?
        public var unitPriceGross: Double?
        /// Chosen variants, `Szín: Piros`.
        public var variants: [String]
    }

    /// Skus UNAS uses for lines that are not products.
    public static let chargeSkus: Set<String> = ["shipping-cost", "handel-cost", "discount-percent", "discount-amount"]

    /// Whether the customer proved it is theirs: the order's email (any case), or its phone or mobile number
    /// (digits compared, ignoring the country prefix's form).
    public func isVerified(by detail: String) -> Bool {
        let trimmed = detail.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("@") {
            return customer.email.map { $0.caseInsensitiveCompare(trimmed) == .orderedSame } ?? false
        }
        let given = Self.nationalDigits(trimmed)
        guard given.count >= 7 else { return false }
        return [customer.phone, customer.mobile].compactMap { $0 }.contains { Self.nationalDigits($0) == given }
    }

    /// A Hungarian number's digits without `+36`, `0036` or the trunk prefix `06`.
    static func nationalDigits(_ number: String) -> String {
        var digits = number.filter(\.isNumber)
        for prefix in ["0036", "36", "06"] where digits.hasPrefix(prefix) && digits.count > 9 {
            digits.removeFirst(prefix.count)
            break
        }
        return digits
    }
}
