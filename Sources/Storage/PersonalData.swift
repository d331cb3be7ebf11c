/// Where each table stands on customers' personal data: which of its rows are one customer's (exported with
/// them), or why it holds none. A test compares this list with the database's tables, so a new table cannot
/// be left out.
public enum PersonalData {
    /// How a table's rows relate to a customer.
    public enum Coverage: Sendable {
        /// The statement selecting the customer's rows.
        case customer(@Sendable (CustomerID) -> SQLStatement)
        /// The table holds no customer's data, for this reason.
        case none(String)
    }

    /// Every table of the schema.
    public static let tables: [(name: String, coverage: Coverage)] = [
        ("customers", .customer { "SELECT * FROM customers WHERE id = \($0)" }),
        ("participants", .customer { "SELECT * FROM participants WHERE customer_id = \($0) ORDER BY id" }),
        ("conversations", .customer { "SELECT * FROM conversations WHERE participant_id IN (SELECT id FROM participants WHERE customer_id = \($0)) ORDER BY id" }),
        ("messages", .customer { ofConversations("messages", $0) }),
        ("outbox", .customer { ofConversations("outbox", $0) }),
        ("handoffs", .customer { ofConversations("handoffs", $0) }),
        ("conversation_notes", .customer { ofConversations("conversation_notes", $0) }),
        ("audit_log", .customer { ofConversations("audit_log", $0) }),
        ("consents", .customer { "SELECT * FROM consents WHERE participant_id IN (SELECT id FROM participants WHERE customer_id = \($0)) ORDER BY participant_id, topic" }),
        ("verification_failures", .customer { id in
            """
            SELECT * FROM verification_failures WHERE subject IN (
                SELECT 'requester:' || channel || ':' || platform_user_id FROM participants WHERE customer_id = \(id))
            ORDER BY subject
            """
        }),
        // Operator notifications name a conversation in their JSON payload (with the hand-off reason).
        ("jobs", .customer { id in
            """
            SELECT j.* FROM jobs j WHERE EXISTS (
                SELECT 1 FROM conversations c JOIN participants p ON p.id = c.participant_id
                WHERE p.customer_id = \(id)
                  AND (j.payload LIKE '%"conversation_id":' || CAST(c.id AS TEXT) || ',%'
                       OR j.payload LIKE '%"conversation_id":' || CAST(c.id AS TEXT) || '}%'))
            ORDER BY j.id
            """
        }),
        ("shop_events", .customer { "SELECT * FROM shop_events WHERE customer_id = \($0) ORDER BY received_at, id" }),
        ("proactive_messages", .customer { "SELECT * FROM proactive_messages WHERE customer_id = \($0) ORDER BY id" }),
        ("short_links", .none("links replies shortened, a code and a URL, shared by everyone sent the same link; one only the customer was sent is erased with them")),
        ("campaigns", .none("the shop's campaigns: audiences and messages; each customer's part is in proactive_messages")),
        ("catalog_products", .none("the shop's products")),
        ("catalog_imports", .none("the shop's feed imports")),
        ("catalog_staging", .none("the shop's products, mid-import")),
        ("catalog_changes", .none("the shop's price and stock history")),
        ("operators", .none("the shop's staff accounts, not customers")),
        ("console_sessions", .none("the staff's sign-ins")),
        ("cluster_leases", .none("which gateway does shared work")),
        ("schema_migrations", .none("the schema's version")),
    ]

    /// The tables whose rows name their customer by `customer_id` and follow them when customers are joined.
    static let customerRows = ["shop_events", "proactive_messages"]

    /// The rows of `table` that belong to the customer's conversations.
    private static func ofConversations(_ table: String, _ id: CustomerID) -> SQLStatement {
        """
        SELECT * FROM \(unsafeRaw: table) WHERE conversation_id IN (
            SELECT c.id FROM conversations c JOIN participants p ON p.id = c.participant_id WHERE p.customer_id = \(id))
        ORDER BY id
        """
    }
}
