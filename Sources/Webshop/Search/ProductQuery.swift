/// A catalog search: the customer's words and the filters to apply.
public struct ProductQuery: Sendable, Hashable {
    /// Words in Hungarian or English, with or without accents; may be empty when only filters apply.
    public var text: String
    /// Gross price bounds, on the price the customer pays now (the sale price while a sale runs).
    public var minPrice: Double?
    public var maxPrice: Double?
    public var inStockOnly: Bool
    /// Words of a category path (`Sport`, `futás`), matched without accents.
    public var category: String?
    public var brand: String?
    public var limit: Int

    public init(
        _ text: String, minPrice: Double? = nil, maxPrice: Double? = nil, inStockOnly: Bool = false,
        category: String? = nil, brand: String? = nil, limit: Int = 10
    ) {
        self.text = text
        self.minPrice = minPrice
        self.maxPrice = maxPrice
        self.inStockOnly = inStockOnly
        self.category = category
        self.brand = brand
        self.limit = limit
    }
}

/// A product found by a search, with how well it matched.
public struct ProductMatch: Sendable, Hashable {
    public var product: Product
    public var score: Double
}
