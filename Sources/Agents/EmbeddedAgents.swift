import ChatModel
import Webshop

/// The built-in agent graph: input guardrails → coordinator → product_info, order_status,
/// recommendation, marketing, general or handoff → output guardrails; no network of its own.
public enum EmbeddedAgents {
    /// Every reply template the embedded nodes render; each language folder must have them all.
    public static let templateNames = [
        "fallback", "choice", "attachment", "unsupported", "location", "clarify", "too_long", "abusive",
        "menu_products", "menu_order", "menu_contact", "menu_recommendation", "menu_human",
        "products_found", "product_none", "product_ask", "product_subtitle", "button_details", "button_add_to_cart",
        "add_to_cart", "add_to_cart_unknown", "fact_in_stock", "fact_out_of_stock", "stock_alternatives", "fact_price", "fact_sizes", "fact_colour", "fact_warranty",
        "fact_description", "follow_up_colour", "follow_up_colour_none", "follow_up_size_yes", "follow_up_size_no",
        "order_ask_number", "order_ask_verification", "order_verification_failed", "order_too_many", "order_details",
        "order_unavailable", "order_error", "order_status_unknown", "order_change_cancel", "order_change_address",
        "order_change_return", "payment_paid", "payment_unpaid", "payment_partly_paid", "payment_overpaid",
        "recommend_found", "recommend_none", "recommend_ask", "recommend_cheaper", "recommend_cheaper_none",
        "recommend_together", "recommend_together_none",
        "promotions_list", "promotions_none", "button_subscribe", "coupon_valid", "coupon_invalid", "coupon_expired",
        "coupon_not_yet", "subscribed_newsletter", "unsubscribed_newsletter", "subscribed_sms", "unsubscribed_sms",
        "handoff_started", "handoff_after_hours",
    ]

    /// Settings of the embedded graph.
    public struct Settings: Sendable {
        /// Below this classifier confidence the coordinator asks what the customer means.
        public var clarifyBelow = 0.3
        /// Longest customer message answered, in characters.
        public var maximumCharacters = 2000
        /// Forints to one euro, for budgets in euros.
        public var forintsPerEuro = 400.0
        /// When operators answer; nil: always. Outside them a request for a human is recorded, the customer
        /// is told when someone will reply, and the bot goes on answering.
        public var operatorHours: OperatorHours?
        /// How long a language model may take for one turn before the embedded answer is used.
        public var turnDeadline: Duration = .seconds(10)
        public init() {}
    }

    /// The specialists' nodes, by the agent type they answer as.
    static func specialists(resources: AgentResources, webshop: any Webshop, operatorHours: OperatorHours? = nil) -> [any AgentNode] {
        [
            ProductInfoNode(resources: resources, webshop: webshop),
            OrderStatusNode(resources: resources, webshop: webshop),
            RecommendationNode(resources: resources, webshop: webshop),
            MarketingNode(resources: resources),
            GeneralNode(resources: resources),
            HandoffNode(resources: resources, hours: operatorHours),
        ]
    }

    /// The embedded graph over `webshop`; with `model`, a language model writes the answers and the
    /// specialists answer when it fails. `extraNodes` are added as they are (a node named like another is refused).
    public static func graph(
        resources: AgentResources, webshop: any Webshop, classifier: IntentClassifier = .builtIn,
        settings: Settings = Settings(), model: ChatCompletionClient? = nil, extraNodes: [any AgentNode] = []
    ) throws -> AgentGraph {
        let understanding = Understanding(
            classifier: classifier, slots: SlotExtractor(forintsPerEuro: settings.forintsPerEuro),
            brands: { (try? await webshop.brands()) ?? [] }, nameCoverage: { (try? await webshop.nameCoverage($0)) ?? 0 })
        var coordinator = Coordinator(classifier: classifier, resources: resources, threshold: settings.clarifyBelow)
        var nodes: [any AgentNode] = [
            InputGuardrails(resources: resources, maximumCharacters: settings.maximumCharacters),
            OutputGuardrails(resources: resources),
        ] + specialists(resources: resources, webshop: webshop, operatorHours: settings.operatorHours) + extraNodes
        if let model {
            nodes.append(ModelWriterNode(client: model, webshop: webshop, resources: resources, turnDeadline: settings.turnDeadline))
            coordinator.writer = ModelWriterNode.nodeName
        }
        nodes.append(coordinator)
        // Every intent the classifier can choose must be a node, so adding an agent is adding a node
        // and its labeled messages.
        return try AgentGraph(
            nodes: nodes, entry: "input_guardrails", required: ["coordinator", "output_guardrails"] + classifier.intents,
            understanding: understanding)
    }
}
