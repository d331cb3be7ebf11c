import Foundation

/// A product of the shop's catalog: what search, product cards and the agents' answers need.
public struct Product: Codable, Sendable, Hashable {
    /// The webshop's own id.
    public var id: String
    public var sku: String
    public var name: String
    /// Sold in (`db`, `csomag`, …).
    public var unit: String?
    /// The short and long descriptions as the shop wrote them (HTML), for display.
    public var shortDescription: String?
    public var longDescription: String?
    /// Both descriptions as plain text, for search and plain-text answers.
    public var descriptionText: String
    /// Gross price in the shop's currency.
    public var price: Double
    public var netPrice: Double?
    /// VAT as the shop states it (`27%`).
    public var vat: String?
    public var sale: Sale?
    /// The base category's path, `Parent|Child`.
    public var category: String?
    public var alternativeCategories: [String]
    public var brand: String?
    public var url: String?
    /// The main image first.
    public var images: [String]
    /// Units in stock; nil when the shop does not track stock for it.
    public var stock: Double?
    /// Whether the shop lists the product as active.
    public var active: Bool
    public var variants: [Variant]
    public var parameters: [Parameter]

    /// A sale price and the days it runs (either end may be open).
    public struct Sale: Codable, Sendable, Hashable {
        public var price: Double
        public var start: Date?
        public var end: Date?

        public init(price: Double, start: Date? = nil, end: Date? = nil) {
            self.price = price
            self.start = start
            self.end = end
        }

        /// Whether the sale runs at `date`.
        public func isRunning(at date: Date) -> Bool {
            (start.map { $0 <= date } ?? true) && (end.map { date < $0 } ?? true)
        }

        /// The sale price when the sale runs at `date` and is below `regular`.
        public func price(below regular: Double, at date: Date) -> Double? {
            price < regular && isRunning(at: date) ? price : nil
        }
    }

    /// A choice the customer makes when buying (size, colour…), with its values' extra prices.
    public struct Variant: Codable, Sendable, Hashable {
        public var name: String
        public var values: [Value]

        public struct Value: Codable, Sendable, Hashable {
            public var name: String
            public var extraPrice: Double?

            public init(name: String, extraPrice: Double? = nil) {
                self.name = name
                self.extraPrice = extraPrice
            }
        }

        public init(name: String, values: [Value]) {
            self.name = name
            self.values = values
        }
    }

    /// A named property (warranty, material, colour…).
    public struct Parameter: Codable, Sendable, Hashable {
        public var name: String
        public var group: String?
        public var value: String

        public init(name: String, group: String? = nil, value: String) {
            self.name = name
            self.group = group
            self.value = value
        }
    }

    public init(
        id: String, sku: String, name: String, unit: String? = nil, shortDescription: String? = nil,
        longDescription: String? = nil, descriptionText: String = "", price: Double, netPrice: Double? = nil,
        vat: String? = nil, sale: Sale? = nil, category: String? = nil, alternativeCategories: [String] = [],
        brand: String? = nil, url: String? = nil, images: [String] = [], stock: Double? = nil, active: Bool = true,
        variants: [Variant] = [], parameters: [Parameter] = []
    ) {
        self.id = id
        self.sku = sku
        self.name = name
        self.unit = unit
        self.shortDescription = shortDescription
        self.longDescription = longDescription
        self.descriptionText = descriptionText
        self.price = price
        self.netPrice = netPrice
        self.vat = vat
        self.sale = sale
        self.category = category
        self.alternativeCategories = alternativeCategories
        self.brand = brand
        self.url = url
        self.images = images
        self.stock = stock
        self.active = active
        self.variants = variants
        self.parameters = parameters
    }

    /// The sale price when a sale runs at `date`.
    public func salePrice(at date: Date) -> Double? {
        sale?.price(below: price, at: date)
    }

    /// What the customer pays at `date`.
    public func currentPrice(at date: Date) -> Double {
        salePrice(at: date) ?? price
    }

    /// Whether it can be bought now: active, and in stock where stock is tracked.
    public var inStock: Bool {
        active && (stock.map { $0 > 0 } ?? true)
    }

    /// The main image.
    public var imageURL: String? { images.first }

    /// The value of the first parameter with one of these names (compared without case).
    public func parameter(_ names: String...) -> String? {
        parameter(names)
    }

    /// The value of the first parameter called any of `names` (any case).
    public func parameter(_ names: [String]) -> String? {
        parameters.first { parameter in names.contains { $0.caseInsensitiveCompare(parameter.name) == .orderedSame } }?.value
    }
}
