import CLibXML2
import Markup

/// One `<Product>` of a UNAS document: the product, or the sku of a product the shop deleted.
public struct UNASFeedEntry: Sendable, Hashable {
    public var sku: String
    /// Nil when the feed says the product was deleted (`State=deleted`).
    public var product: Product?
}

/// Reads one expanded `<Product>` element (docs/channels.md §5.2) into the catalog's model.
enum UNASProductMapping {
    /// Parameter names that name the brand, as UNAS shops commonly call it.
    static let brandParameters = ["Márka", "Gyártó", "Brand", "Manufacturer"]

    /// The entry, or nil when the element has no sku.
    static func entry(_ element: XMLElementView) -> UNASFeedEntry? {
        guard let sku = element.text("Sku") else { return nil }
        if element.text("State")?.lowercased() == "deleted" {
            return UNASFeedEntry(sku: sku, product: nil)
        }
        let short = element.child("Description")?.text("Short")
        let long = element.child("Description")?.text("Long")
        let prices = element.child("Prices")
        let normal = prices?.children("Price").first { $0.text("Type") == "normal" }
        let sale = prices?.children("Price").first { $0.text("Type") == "sale" }
        let categories = element.child("Categories")?.children("Category") ?? []
        var parameters = (element.child("Params")?.children("Param") ?? []).compactMap(parameter)
        parameters += (element.child("Datas")?.children("Data") ?? []).compactMap(parameter)
        let product = Product(
            id: element.text("Id") ?? sku,
            sku: sku,
            name: element.text("Name") ?? sku,
            unit: element.text("Unit"),
            shortDescription: short,
            longDescription: long,
            descriptionText: [short, long].compactMap { $0.map(HTMLText.words) }.joined(separator: " "),
            price: normal?.number("Gross") ?? 0,
            netPrice: normal?.number("Net"),
            vat: prices?.text("Vat"),
            sale: sale.flatMap(Self.sale),
            category: categories.first { $0.text("Type") != "alt" }?.text("Name"),
            alternativeCategories: categories.filter { $0.text("Type") == "alt" }.compactMap { $0.text("Name") },
            brand: brandParameters.lazy.compactMap { name in parameters.first { $0.name == name }?.value }.first,
            url: element.text("Url"),
            images: images(element.child("Images")),
            stock: stock(element.child("Stocks")),
            active: element.child("Statuses")?.children("Status").first { $0.text("Type") == "base" }?.text("Value") != "0",
            variants: (element.child("Variants")?.children("Variant") ?? []).compactMap(variant),
            parameters: parameters)
        return UNASFeedEntry(sku: sku, product: product)
    }

    private static func sale(_ price: XMLElementView) -> Product.Sale? {
        guard let gross = price.number("Gross") else { return nil }
        return Product.Sale(
            price: gross, start: price.text("Start").flatMap { UNASDate.parse($0) },
            end: price.text("End").flatMap { UNASDate.parse($0, endOfDay: true) })
    }

    private static func images(_ images: XMLElementView?) -> [String] {
        let all = images?.children("Image") ?? []
        let ordered = all.filter { $0.text("Type") == "base" } + all.filter { $0.text("Type") != "base" }
        return ordered.compactMap { $0.text("SefUrl") }
    }

    /// Units in stock when the shop manages stock, summed over warehouses and variants.
    private static func stock(_ stocks: XMLElementView?) -> Double? {
        guard let stocks, stocks.child("Status")?.text("Active") != "0" else { return nil }
        let quantities = stocks.children("Stock").compactMap { $0.number("Qty") }
        return quantities.isEmpty ? nil : quantities.reduce(0, +)
    }

    private static func variant(_ element: XMLElementView) -> Product.Variant? {
        guard let name = element.text("Name") else { return nil }
        let values = (element.child("Values")?.children("Value") ?? []).compactMap { value in
            value.text("Name").map { Product.Variant.Value(name: $0, extraPrice: value.number("ExtraPrice")) }
        }
        return Product.Variant(name: name, values: values)
    }

    private static func parameter(_ element: XMLElementView) -> Product.Parameter? {
        guard let name = element.text("Name"), let value = element.text("Value") else { return nil }
        return Product.Parameter(name: name, group: element.text("Group"), value: value)
    }
}
