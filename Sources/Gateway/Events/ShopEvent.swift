import Foundation

/// An event the shop reports at `POST /api/v1/events` (README: "Shop events"), read and checked.
struct ShopEvent: Sendable {
    enum Kind: String, Sendable, CaseIterable {
        case cartUpdated = "cart_updated"
        case orderPlaced = "order_placed"
        case orderStatusChanged = "order_status_changed"
    }

    /// The order states `order_status_changed` takes.
    static let statuses: Set<String> = ["confirmed", "shipped", "delivered", "cancelled"]
    /// The ways the shop may name the customer.
    static let identifiers = ["email", "phone", "widget_session", "messenger_psid", "whatsapp_id", "telegram_chat_id"]

    /// A line of a cart.
    struct Item: Sendable, Hashable {
        var sku: String
        var quantity: Double
        var price: Double
    }

    var id: String
    var kind: Kind
    var customer: [String: String]
    var cartID: String?
    var orderID: String?
    var status: String?
    /// The cart's page (`cart_updated`).
    var url: String?
    var trackingURL: String?
    var items: [Item] = []

    private struct Wire: Decodable {
        struct Item: Decodable {
            var sku: String?
            var quantity: Double?
            var price: Double?
        }
        var id: String?
        var type: String?
        var cartID: String?
        var orderID: String?
        var status: String?
        var url: String?
        var trackingURL: String?
        var items: [Item]?
        var customer: [String: String]?

        enum CodingKeys: String, CodingKey {
            case id, type, status, url, items, customer
            case cartID = "cart_id"
            case orderID = "order_id"
            case trackingURL = "tracking_url"
        }
    }

    /// Reads `body`; the error says which field is missing or wrong.
    init(_ body: [UInt8]) throws(APIError) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(body))
        } catch {
            throw APIError(.badRequest, "invalid_json", "expected one JSON object {\"id\", \"type\", \"customer\", …} with string ids")
        }
        guard let id = wire.id, !id.isEmpty, id.utf8.count <= 200 else { throw Self.invalid("id is required (1 to 200 bytes)") }
        guard let type = wire.type else { throw Self.invalid("type is required") }
        guard let kind = Kind(rawValue: type) else {
            throw APIError(.badRequest, "unknown_event_type", "type must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let customer = (wire.customer ?? [:]).filter { Self.identifiers.contains($0.key) && !$0.value.isEmpty }
        guard !customer.isEmpty else { throw Self.invalid("customer must name the customer by any of \(Self.identifiers.joined(separator: ", "))") }
        switch kind {
        case .cartUpdated:
            guard wire.cartID?.isEmpty == false else { throw Self.invalid("cart_id is required") }
            guard wire.url?.isEmpty == false else { throw Self.invalid("url is required") }
            guard let items = wire.items else { throw Self.invalid("items is required (an empty list for an emptied cart)") }
            for (index, item) in items.enumerated() where item.sku?.isEmpty != false || (item.quantity ?? 0) <= 0 || (item.price ?? -1) < 0 {
                throw Self.invalid("items[\(index)] needs a sku, a positive quantity and a price")
            }
        case .orderPlaced:
            guard wire.cartID?.isEmpty == false, wire.orderID?.isEmpty == false else { throw Self.invalid("cart_id and order_id are required") }
        case .orderStatusChanged:
            guard wire.orderID?.isEmpty == false else { throw Self.invalid("order_id is required") }
            guard let status = wire.status, Self.statuses.contains(status) else {
                throw Self.invalid("status must be one of \(Self.statuses.sorted().joined(separator: ", "))")
            }
        }
        self.id = id
        self.kind = kind
        self.customer = customer
        cartID = wire.cartID
        orderID = wire.orderID
        status = wire.status
        url = wire.url
        trackingURL = wire.trackingURL.flatMap { $0.isEmpty ? nil : $0 }
        items = (wire.items ?? []).map { Item(sku: $0.sku ?? "", quantity: $0.quantity ?? 0, price: $0.price ?? 0) }
    }

    private static func invalid(_ message: String) -> APIError {
        APIError(.badRequest, "invalid_event", message)
    }
}
