import Storage

/// The texts of one UNAS `<Product>` element that the catalog reads (docs/channels.md §5.2), collected from its
/// start, text and end events, so a feed is mapped as it streams by, without a tree per product.
///
/// Like a lookup in the element's tree, a single element (`Name`, `Description`, `Prices`…) is read from its first
/// occurrence only, and an element's text is all the text inside it, trimmed.
struct UNASProductFields {
    /// The elements the mapping knows; every other is `other`, and nothing inside it is read.
    enum Tag: UInt8 {
        case other, product, sku, state, id, name, unit, url, description, short, long, prices, price, type, gross, net
        case start, end, vat, categories, category, params, param, datas, data, group, value, images, image, sefUrl
        case stocks, status, active, stock, qty, statuses, variants, variant, values, extraPrice

        static let byName: [String: Tag] = [
            "Product": .product, "Sku": .sku, "State": .state, "Id": .id, "Name": .name, "Unit": .unit, "Url": .url,
            "Description": .description, "Short": .short, "Long": .long, "Prices": .prices, "Price": .price, "Type": .type,
            "Gross": .gross, "Net": .net, "Start": .start, "End": .end, "Vat": .vat, "Categories": .categories,
            "Category": .category, "Params": .params, "Param": .param, "Datas": .datas, "Data": .data, "Group": .group,
            "Value": .value, "Images": .images, "Image": .image, "SefUrl": .sefUrl, "Stocks": .stocks, "Status": .status,
            "Active": .active, "Stock": .stock, "Qty": .qty, "Statuses": .statuses, "Variants": .variants,
            "Variant": .variant, "Values": .values, "ExtraPrice": .extraPrice,
        ]

        init(name: String) {
            self = Self.byName[name] ?? .other
        }
    }

    /// Where an element's text goes.
    enum Slot {
        case sku, state, id, name, unit, url, short, long, vat
        case priceType, priceGross, priceNet, priceStart, priceEnd
        case categoryType, categoryName
        case paramName, paramGroup, paramValue, dataName, dataGroup, dataValue
        case imageType, imageURL
        case stockActive, stockQuantity
        case statusType, statusValue
        case variantName, valueName, valueExtraPrice
    }

    /// The elements that hold others, by where they are (a `Status` of `Stocks` is not one of `Statuses`).
    private enum Container {
        case product, description, prices, price, categories, category, params, param, datas, data, images, image
        case stocks, stockStatus, stock, statuses, status, variants, variant, values, value
    }

    /// What an open element is to the collector.
    private enum Role {
        /// A container read from its first occurrence (`Prices`), or an item of one (`Price`).
        case container(Container)
        /// An element whose text is collected.
        case field(Slot)
        /// An element the mapping does not read, or a container after its first occurrence.
        case ignored
    }

    struct Price { var type, gross, net, start, end: String? }
    struct Category { var type, name: String? }
    struct Parameter { var name, group, value: String? }
    struct Image { var type, url: String? }
    struct Status { var type, value: String? }
    struct Value { var name, extraPrice: String? }
    struct Variant {
        var name: String?
        var values: [Value] = []
        var valuesSeen = false
    }

    var sku, state, id, name, unit, url, short, long, vat: String?
    var prices: [Price] = []
    var categories: [Category] = []
    var params: [Parameter] = []
    var datas: [Parameter] = []
    var images: [Image] = []
    /// Whether the product has a `Stocks` element at all, its first status's `Active`, and each stock's quantity.
    var hasStocks = false
    var stockActive: String?
    var stockQuantities: [String?] = []
    var statuses: [Status] = []
    var variants: [Variant] = []

    private var stack: [Role] = []
    /// The depth of the field element being collected, and its text so far.
    private var fieldDepth: Int?
    private var text: [UInt8] = []
    /// The containers met so far, a bit for each tag (fewer than 64).
    private var seen: UInt64 = 0

    init() {
        stack.reserveCapacity(8)
    }

    /// Drops what collecting needed, once the product has ended: the texts travel on to be mapped without it.
    mutating func finish() {
        stack = []
        text = []
        seen = 0
    }

    /// Whether text now belongs to a field (else it need not be read at all).
    var isCollecting: Bool { fieldDepth != nil }

    /// Whether the `Product` element itself has ended.
    var isComplete: Bool { stack.isEmpty }

    /// An element starts.
    mutating func start(_ tag: Tag) {
        guard fieldDepth == nil else {
            // An element inside a field: its text is part of the field's.
            stack.append(.ignored)
            return
        }
        let role = role(of: tag)
        if case .field = role {
            fieldDepth = stack.count
            text.removeAll(keepingCapacity: true)
        }
        stack.append(role)
    }

    /// Text (or CDATA) inside the current element.
    mutating func characters(_ value: String) {
        if fieldDepth != nil { text.append(contentsOf: value.utf8) }
    }

    /// Text inside the current element, as the parser's UTF-8 bytes.
    mutating func characters(_ bytes: UnsafeBufferPointer<UInt8>) {
        if fieldDepth != nil { text.append(contentsOf: bytes) }
    }

    /// The current element ends.
    mutating func end() {
        guard let role = stack.popLast() else { return }
        guard stack.count == fieldDepth, case .field(let slot) = role else { return }
        fieldDepth = nil
        assign(XMLElementView.trimmed(String(decoding: text, as: UTF8.self)), to: slot)
    }

    /// What an element starting now is, judged by its parent.
    private mutating func role(of tag: Tag) -> Role {
        let parent: Container
        switch stack.last {
        case .container(let container): parent = container
        case .none: return tag == .product ? .container(.product) : .ignored
        default: return .ignored
        }
        switch (parent, tag) {
        case (.product, .sku): return .field(.sku)
        case (.product, .state): return .field(.state)
        case (.product, .id): return .field(.id)
        case (.product, .name): return .field(.name)
        case (.product, .unit): return .field(.unit)
        case (.product, .url): return .field(.url)
        case (.product, .description): return first(tag, .description)
        case (.product, .prices): return first(tag, .prices)
        case (.product, .categories): return first(tag, .categories)
        case (.product, .params): return first(tag, .params)
        case (.product, .datas): return first(tag, .datas)
        case (.product, .images): return first(tag, .images)
        case (.product, .statuses): return first(tag, .statuses)
        case (.product, .variants): return first(tag, .variants)
        case (.product, .stocks):
            let role = first(tag, .stocks)
            if case .container = role { hasStocks = true }
            return role
        case (.description, .short): return .field(.short)
        case (.description, .long): return .field(.long)
        case (.prices, .vat): return .field(.vat)
        case (.prices, .price):
            prices.append(Price())
            return .container(.price)
        case (.price, .type): return .field(.priceType)
        case (.price, .gross): return .field(.priceGross)
        case (.price, .net): return .field(.priceNet)
        case (.price, .start): return .field(.priceStart)
        case (.price, .end): return .field(.priceEnd)
        case (.categories, .category):
            categories.append(Category())
            return .container(.category)
        case (.category, .type): return .field(.categoryType)
        case (.category, .name): return .field(.categoryName)
        case (.params, .param):
            params.append(Parameter())
            return .container(.param)
        case (.param, .name): return .field(.paramName)
        case (.param, .group): return .field(.paramGroup)
        case (.param, .value): return .field(.paramValue)
        case (.datas, .data):
            datas.append(Parameter())
            return .container(.data)
        case (.data, .name): return .field(.dataName)
        case (.data, .group): return .field(.dataGroup)
        case (.data, .value): return .field(.dataValue)
        case (.images, .image):
            images.append(Image())
            return .container(.image)
        case (.image, .type): return .field(.imageType)
        case (.image, .sefUrl): return .field(.imageURL)
        case (.stocks, .status): return first(tag, .stockStatus)
        case (.stockStatus, .active): return .field(.stockActive)
        case (.stocks, .stock):
            stockQuantities.append(nil)
            return .container(.stock)
        case (.stock, .qty): return .field(.stockQuantity)
        case (.statuses, .status):
            statuses.append(Status())
            return .container(.status)
        case (.status, .type): return .field(.statusType)
        case (.status, .value): return .field(.statusValue)
        case (.variants, .variant):
            variants.append(Variant())
            return .container(.variant)
        case (.variant, .name): return .field(.variantName)
        case (.variant, .values):
            guard !variants[variants.count - 1].valuesSeen else { return .ignored }
            variants[variants.count - 1].valuesSeen = true
            return .container(.values)
        case (.values, .value):
            variants[variants.count - 1].values.append(Value())
            return .container(.value)
        case (.value, .name): return .field(.valueName)
        case (.value, .extraPrice): return .field(.valueExtraPrice)
        default: return .ignored
        }
    }

    /// The container for the first element called `tag` where it stands in the product; later ones are ignored.
    private mutating func first(_ tag: Tag, _ container: Container) -> Role {
        let bit: UInt64 = 1 << tag.rawValue
        defer { seen |= bit }
        return seen & bit == 0 ? .container(container) : .ignored
    }

    /// A hash of every text the mapping reads and of the mapping's revision: products with equal digests are equal.
    func digest() -> Int64 {
        var bytes = DigestBytes(capacity: 256 + (short?.utf8.count ?? 0) + (long?.utf8.count ?? 0))
        bytes.count(Int(UNASProductMapping.revision))
        bytes.add(sku); bytes.add(state); bytes.add(id); bytes.add(name); bytes.add(unit); bytes.add(url)
        bytes.add(short); bytes.add(long); bytes.add(vat)
        bytes.count(prices.count)
        for price in prices {
            bytes.add(price.type); bytes.add(price.gross); bytes.add(price.net); bytes.add(price.start); bytes.add(price.end)
        }
        bytes.count(categories.count)
        for category in categories { bytes.add(category.type); bytes.add(category.name) }
        bytes.count(params.count)
        for parameter in params { bytes.add(parameter.name); bytes.add(parameter.group); bytes.add(parameter.value) }
        bytes.count(datas.count)
        for parameter in datas { bytes.add(parameter.name); bytes.add(parameter.group); bytes.add(parameter.value) }
        bytes.count(images.count)
        for image in images { bytes.add(image.type); bytes.add(image.url) }
        bytes.count(hasStocks ? 1 : 0)
        bytes.add(stockActive)
        bytes.count(stockQuantities.count)
        for quantity in stockQuantities { bytes.add(quantity) }
        bytes.count(statuses.count)
        for status in statuses { bytes.add(status.type); bytes.add(status.value) }
        bytes.count(variants.count)
        for variant in variants {
            bytes.add(variant.name)
            bytes.count(variant.values.count)
            for value in variant.values { bytes.add(value.name); bytes.add(value.extraPrice) }
        }
        return bytes.hash()
    }

    /// The bytes a digest hashes: each text with its length, so texts are told apart where they begin and end.
    private struct DigestBytes {
        private var bytes: [UInt8] = []

        init(capacity: Int) {
            bytes.reserveCapacity(capacity)
        }

        mutating func count(_ value: Int) {
            let value = UInt32(truncatingIfNeeded: value)
            bytes.append(UInt8(truncatingIfNeeded: value))
            bytes.append(UInt8(truncatingIfNeeded: value >> 8))
            bytes.append(UInt8(truncatingIfNeeded: value >> 16))
            bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        }

        mutating func add(_ text: String?) {
            guard var text else { return bytes.append(0) }
            bytes.append(1)
            text.withUTF8 { utf8 in
                count(utf8.count)
                bytes.append(contentsOf: utf8)
            }
        }

        func hash() -> Int64 {
            bytes.withUnsafeBytes { CatalogRow.hash(of: $0) }
        }
    }

    /// Keeps the first text of a slot, as a lookup of the first such child would.
    private mutating func assign(_ value: String, to slot: Slot) {
        func keep(_ field: inout String?) { if field == nil { field = value } }
        switch slot {
        case .sku: keep(&sku)
        case .state: keep(&state)
        case .id: keep(&id)
        case .name: keep(&name)
        case .unit: keep(&unit)
        case .url: keep(&url)
        case .short: keep(&short)
        case .long: keep(&long)
        case .vat: keep(&vat)
        case .priceType: keep(&prices[prices.count - 1].type)
        case .priceGross: keep(&prices[prices.count - 1].gross)
        case .priceNet: keep(&prices[prices.count - 1].net)
        case .priceStart: keep(&prices[prices.count - 1].start)
        case .priceEnd: keep(&prices[prices.count - 1].end)
        case .categoryType: keep(&categories[categories.count - 1].type)
        case .categoryName: keep(&categories[categories.count - 1].name)
        case .paramName: keep(&params[params.count - 1].name)
        case .paramGroup: keep(&params[params.count - 1].group)
        case .paramValue: keep(&params[params.count - 1].value)
        case .dataName: keep(&datas[datas.count - 1].name)
        case .dataGroup: keep(&datas[datas.count - 1].group)
        case .dataValue: keep(&datas[datas.count - 1].value)
        case .imageType: keep(&images[images.count - 1].type)
        case .imageURL: keep(&images[images.count - 1].url)
        case .stockActive: keep(&stockActive)
        case .stockQuantity: keep(&stockQuantities[stockQuantities.count - 1])
        case .statusType: keep(&statuses[statuses.count - 1].type)
        case .statusValue: keep(&statuses[statuses.count - 1].value)
        case .variantName: keep(&variants[variants.count - 1].name)
        case .valueName:
            let last = variants.count - 1
            keep(&variants[last].values[variants[last].values.count - 1].name)
        case .valueExtraPrice:
            let last = variants.count - 1
            keep(&variants[last].values[variants[last].values.count - 1].extraPrice)
        }
    }
}
