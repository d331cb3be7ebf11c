/// What the agents remember of a conversation between turns: the products last shown, the question the
/// bot is waiting to have answered, and the orders the customer proved are theirs.
public struct ConversationMemory: Codable, Sendable, Hashable {
    /// A question the bot asked and expects the next message to answer.
    public enum Awaiting: String, Codable, Sendable, Hashable {
        /// "What is your order number?"
        case orderNumber = "order_number"
        /// "What email address or phone number is on the order?"
        case orderVerification = "order_verification"
        /// The coordinator was unsure and offered a choice of topics.
        case clarification
    }

    /// Skus of the products on the last cards shown, in order.
    public var lastProducts: [String]
    /// The graph node that answered last.
    public var lastAgent: AgentType?
    public var awaiting: Awaiting?
    /// The order number the customer gave, while its verification is pending.
    public var orderKey: String?
    /// Orders whose email or phone the customer gave correctly: their details may be shown.
    public var verifiedOrders: [String]
    /// The email or phone that verified them, to look them up again.
    public var verification: String?
    /// Wrong verification details given for `orderKey`.
    public var failedVerifications: Int
    /// The customer was told once that a kind of message they sent cannot be read.
    public var toldUnsupported = false

    public init(
        lastProducts: [String] = [], lastAgent: AgentType? = nil, awaiting: Awaiting? = nil, orderKey: String? = nil,
        verifiedOrders: [String] = [], verification: String? = nil, failedVerifications: Int = 0
    ) {
        self.lastProducts = lastProducts
        self.lastAgent = lastAgent
        self.awaiting = awaiting
        self.orderKey = orderKey
        self.verifiedOrders = verifiedOrders
        self.verification = verification
        self.failedVerifications = failedVerifications
    }

    enum CodingKeys: String, CodingKey {
        case lastProducts = "last_products"
        case lastAgent = "last_agent"
        case awaiting
        case orderKey = "order_key"
        case verifiedOrders = "verified_orders"
        case verification
        case failedVerifications = "failed_verifications"
        case toldUnsupported = "told_unsupported"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        lastProducts = try container.decodeIfPresent([String].self, forKey: .lastProducts) ?? []
        lastAgent = try container.decodeIfPresent(AgentType.self, forKey: .lastAgent)
        awaiting = try container.decodeIfPresent(Awaiting.self, forKey: .awaiting)
        orderKey = try container.decodeIfPresent(String.self, forKey: .orderKey)
        verifiedOrders = try container.decodeIfPresent([String].self, forKey: .verifiedOrders) ?? []
        verification = try container.decodeIfPresent(String.self, forKey: .verification)
        failedVerifications = try container.decodeIfPresent(Int.self, forKey: .failedVerifications) ?? 0
        toldUnsupported = try container.decodeIfPresent(Bool.self, forKey: .toldUnsupported) ?? false
    }
}
