/// The facts a message carries that the specialists act on.
public struct Slots: Sendable, Hashable {
    /// An order number as customers see it (`1000-1000123`).
    public var orderNumber: String?
    public var email: String?
    public var phone: String?
    /// A price ceiling and floor in forints (other currencies converted).
    public var maxPrice: Double?
    public var minPrice: Double?
    /// A clothing or shoe size (`M`, `42`).
    public var size: String?
    /// A colour, as the catalog writes it (Hungarian, lower case).
    public var colour: String?
    public var brand: String?
    /// Who the product is for, as words the catalog uses (`gyerek`, `női`, `futó`…).
    public var audience: [String] = []
    /// A code in capitals and digits (`NYAR20`), as coupons are written.
    public var couponCode: String?

    public init() {}

    /// The customer's email or phone, to verify an order with.
    public var verification: String? { email ?? phone }
}
