/// A product of the shop's catalog, as agents and product cards need it.
public struct Product: Codable, Sendable, Hashable {
    public var sku: String
    public var name: String
    /// Gross price in the shop's currency.
    public var price: Double
    /// Gross sale price while a sale runs.
    public var salePrice: Double?
    public var inStock: Bool
    public var imageURL: String?
    public var url: String?

    public init(sku: String, name: String, price: Double, salePrice: Double? = nil, inStock: Bool, imageURL: String? = nil, url: String? = nil) {
        self.sku = sku
        self.name = name
        self.price = price
        self.salePrice = salePrice
        self.inStock = inStock
        self.imageURL = imageURL
        self.url = url
    }
}
