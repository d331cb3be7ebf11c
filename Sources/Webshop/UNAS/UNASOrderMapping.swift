/// Reads `<Order>` elements of a `getOrder` answer (docs/channels.md §5.3).
enum UNASOrderMapping {
    static func order(_ element: XMLElementView) -> Order? {
        guard let key = element.text("Key") else { return nil }
        let contact = element.child("Customer")?.child("Contact")
        let lines = (element.child("Items")?.children("Item") ?? []).compactMap(item)
        let payment = element.child("Payment")
        let shipping = element.child("Shipping")
        return Order(
            key: key,
            date: element.text("Date").flatMap { UNASDate.parse($0) },
            status: element.text("Status"),
            currency: element.text("Currency"),
            totalGross: element.number("SumPriceGross"),
            customer: .init(
                email: element.child("Customer")?.text("Email"), name: contact?.text("Name"),
                phone: contact?.text("Phone"), mobile: contact?.text("Mobile")),
            payment: payment.map { .init(name: $0.text("Name"), type: $0.text("Type"), status: $0.text("Status")) },
            shipping: shipping.map {
                .init(name: $0.text("Name"), packageNumber: $0.text("PackageNumber"), trackingURL: $0.text("TrackingUrl"))
            },
            invoiceNumber: element.child("Invoice")?.text("Number"),
            items: lines.filter { !Order.chargeSkus.contains($0.sku) },
            charges: lines.filter { Order.chargeSkus.contains($0.sku) })
    }

    private static func item(_ element: XMLElementView) -> Order.Item? {
        guard let sku = element.text("Sku") ?? element.text("Id") else { return nil }
        let variants = (element.child("Variants")?.children("Variant") ?? []).compactMap { variant -> String? in
            guard let name = variant.text("Name"), let value = variant.text("Value") else { return nil }
            return "\(name): \(value)"
        }
        return Order.Item(
            sku: sku, name: element.text("Name") ?? sku, quantity: element.number("Quantity") ?? 1,
            unit: element.text("Unit"), unitPriceGross: element.number("PriceGross"), variants: variants)
    }
}
