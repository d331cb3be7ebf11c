import Foundation

/// An event the shop reported (`POST /api/v1/events`): a cart changed, an order was placed or moved on.
public struct ShopEventRecord: Sendable, Hashable {
    /// The shop's id of the event, which de-duplicates its retries.
    public var id: String
    /// `cart_updated`, `order_placed` or `order_status_changed`.
    public var type: String
    /// The event as the shop sent it.
    public var body: String
    /// Who it is about, in the shop's words: `email`, `phone`, `widget_session`, `messenger_psid`,
    /// `whatsapp_id`, `telegram_chat_id`.
    public var customer: [String: String]
    /// The cart it is about (`cart_updated`, `order_placed`).
    public var cartID: String?
    /// The order it is about (`order_placed`, `order_status_changed`).
    public var orderID: String?
    public var receivedAt: Date

    public init(id: String, type: String, body: String, customer: [String: String], cartID: String? = nil, orderID: String? = nil, receivedAt: Date) {
        self.id = id
        self.type = type
        self.body = body
        self.customer = customer
        self.cartID = cartID
        self.orderID = orderID
        self.receivedAt = receivedAt
    }
}

/// A stored shop event, with the customer it was tied to.
public struct StoredShopEvent: Sendable, Hashable {
    public var id: String
    public var type: String
    public var body: String
    public var cartID: String?
    public var orderID: String?
    public var customerID: CustomerID?
    public var receivedAt: Date
}
