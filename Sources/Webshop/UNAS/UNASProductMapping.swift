import CLibXML2
import Markup

/// One `<Product>` of a UNAS document: the product, or the sku of a product the shop deleted.
public struct UNASFeedEntry: Sendable, Hashable {
    public var sku: String
    /// Nil when the feed says the product was deleted (`State=deleted`).
    public var product: Product?
}

/// Maps the texts of one `<Product>` (docs/channels.md §5.2) into the catalog's model.
enum UNASProductMapping {
    /// Goes into every product's source hash: raise it whenever the same feed texts would make a different product
    /// or different JSON (this mapping, `Product`, `ProductJSON`, `HTMLText.words`), so stored products are made again.
    static let revision: UInt32 = 1

    /// Parameter names that name the brand, as UNAS shops commonly call it.
    static let brandParameters = ["Márka", "Gyártó", "Brand", "Manufacturer"]

    /// The entry, or nil when the element has no sku; `words` reads the descriptions' text.
    static func entry(_ fields: UNASProductFields, words: HTMLWordReader = HTMLWordReader()) -> UNASFeedEntry? {
        guard let sku = sku(of: fields) else { return nil }
        if fields.state?.lowercased() == "deleted" {
            return UNASFeedEntry(sku: sku, product: nil)
        }
        let short = nonEmpty(fields.short)
        let long = nonEmpty(fields.long)
        let normal = fields.prices.first { $0.type == "normal" }
        let sale = fields.prices.first { $0.type == "sale" }
        let parameters = (fields.params + fields.datas).compactMap(parameter)
        let product = Product(
            id: nonEmpty(fields.id) ?? sku,
            sku: sku,
            name: nonEmpty(fields.name) ?? sku,
            unit: nonEmpty(fields.unit),
            shortDescription: short,
            longDescription: long,
            descriptionText: [short, long].compactMap { $0.map(words.words) }.joined(separator: " "),
            price: number(normal?.gross) ?? 0,
            netPrice: number(normal?.net),
            vat: nonEmpty(fields.vat),
            sale: sale.flatMap(Self.sale),
            category: fields.categories.first { $0.type != "alt" }.flatMap { nonEmpty($0.name) },
            alternativeCategories: fields.categories.filter { $0.type == "alt" }.compactMap { nonEmpty($0.name) },
            brand: brandParameters.lazy.compactMap { name in parameters.first { $0.name == name }?.value }.first,
            url: nonEmpty(fields.url),
            images: images(fields.images),
            stock: stock(fields),
            active: fields.statuses.first { $0.type == "base" }?.value != "0",
            variants: fields.variants.compactMap(variant),
            parameters: parameters)
        return UNASFeedEntry(sku: sku, product: product)
    }

    /// The entry of a `<Product>` element of a parsed answer.
    static func entry(_ element: XMLElementView) -> UNASFeedEntry? {
        var fields = UNASProductFields()
        element.replay(into: &fields)
        return entry(fields)
    }

    /// The product's sku; nil when it has none, which makes the element no product.
    static func sku(of fields: UNASProductFields) -> String? {
        nonEmpty(fields.sku)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    private static func number(_ text: String?) -> Double? {
        nonEmpty(text).flatMap(XMLElementView.number)
    }

    private static func sale(_ price: UNASProductFields.Price) -> Product.Sale? {
        guard let gross = number(price.gross) else { return nil }
        return Product.Sale(
            price: gross, start: nonEmpty(price.start).flatMap { UNASDate.parse($0) },
            end: nonEmpty(price.end).flatMap { UNASDate.parse($0, endOfDay: true) })
    }

    private static func images(_ all: [UNASProductFields.Image]) -> [String] {
        let ordered = all.filter { $0.type == "base" } + all.filter { $0.type != "base" }
        return ordered.compactMap { nonEmpty($0.url) }
    }

    /// Units in stock when the shop manages stock, summed over warehouses and variants.
    private static func stock(_ fields: UNASProductFields) -> Double? {
        guard fields.hasStocks, fields.stockActive != "0" else { return nil }
        let quantities = fields.stockQuantities.compactMap(number)
        return quantities.isEmpty ? nil : quantities.reduce(0, +)
    }

    private static func variant(_ variant: UNASProductFields.Variant) -> Product.Variant? {
        guard let name = nonEmpty(variant.name) else { return nil }
        let values = variant.values.compactMap { value in
            nonEmpty(value.name).map { Product.Variant.Value(name: $0, extraPrice: number(value.extraPrice)) }
        }
        return Product.Variant(name: name, values: values)
    }

    private static func parameter(_ parameter: UNASProductFields.Parameter) -> Product.Parameter? {
        guard let name = nonEmpty(parameter.name), let value = nonEmpty(parameter.value) else { return nil }
        return Product.Parameter(name: name, group: nonEmpty(parameter.group), value: value)
    }
}
