import ChatModel

/// Decides which specialist answers: a tapped choice's payload first, then what the bot was waiting for,
/// then follow-ups on the products just shown, then the intent classifier, unless it is unsure and the words
/// name a product of the catalog (then it searches); when it is unsure otherwise, it asks.
struct Coordinator: AgentNode {
    let name = "coordinator"
    let classifier: IntentClassifier
    let resources: AgentResources
    /// Below this classifier confidence the coordinator asks what the customer means.
    let threshold: Double
    /// A node that writes answers with a language model before the chosen specialist, when one is configured.
    var writer: String? = nil

    func run(_ turn: inout Turn) async throws -> NodeStep {
        let route = decide(turn)
        turn.route = route
        turn.confidence = route.confidence
        guard route.node != Self.clarify else {
            turn.say(resources.text("clarify", turn.language), quickReplies: topics(turn.language))
            turn.memory.awaiting = .clarification
            turn.answeredBy = .general
            return NodeStep("clarify", next: "output_guardrails")
        }
        if let writer, turn.modelAllowed, route.node != AgentType.handoff.rawValue {
            return NodeStep("routed:\(route.node)", next: writer)
        }
        return NodeStep("routed:\(route.node)", next: route.node)
    }

    /// Below this confidence in another intent, a text that names a product goes to product info.
    static let namedProductConfidence = 0.9
    /// The share of a text's words that must name one product for it to be about that product: four of five
    /// (a word the catalog does not know, such as an everyday word for the product, may be among them).
    static let strongCoverage = 0.8
    /// The share of a text's words naming one product for "cheaper than", "goes with" to be about it.
    static let alternativeCoverage = 0.5

    /// The pseudo-node of "I am not sure what you mean".
    static let clarify = "clarify"

    func decide(_ turn: Turn) -> Turn.Route {
        if let payload = turn.payload {
            // A choice we did not offer (an operator's, a page's menu) is acknowledged in words.
            return Turn.Route(node: Self.node(forPayload: payload) ?? AgentType.general.rawValue, confidence: 1, reason: "payload")
        }
        switch turn.conversation.event.content {
        case .text, .quickReply, .postback: break
        case .attachments(_, let caption) where !(caption ?? "").isEmpty: break
        default: return Turn.Route(node: AgentType.general.rawValue, confidence: 1, reason: "event")
        }
        let slots = turn.slots
        switch turn.memory.awaiting {
        case .orderNumber? where slots.orderNumber != nil, .orderVerification? where slots.verification != nil:
            return Turn.Route(node: AgentType.orderStatus.rawValue, confidence: 1, reason: "awaiting")
        default: break
        }
        let prediction = classifier.predict(turn.normalized)
        if slots.orderNumber != nil && turn.normalized.words.count <= 4 {
            return Turn.Route(node: AgentType.orderStatus.rawValue, confidence: 0.95, reason: "order_number")
        }
        // A model number looks like a code ("520BT"); a code that names a product is not a coupon.
        if slots.couponCode != nil && slots.orderNumber == nil && turn.normalized.words.count <= 6 && turn.catalogCoverage < 1 {
            return Turn.Route(node: AgentType.marketing.rawValue, confidence: 0.95, reason: "coupon_code")
        }
        if !turn.memory.lastProducts.isEmpty, turn.normalized.words.count <= 6, prediction.confidence < 0.8 || prediction.intent == AgentType.productInfo.rawValue {
            if turn.normalized.contains(anyPrefix: Self.cheaperWords) {
                return Turn.Route(node: AgentType.recommendation.rawValue, confidence: 0.9, reason: "follow_up")
            }
            if slots.colour != nil || slots.size != nil {
                return Turn.Route(node: AgentType.productInfo.rawValue, confidence: 0.9, reason: "follow_up")
            }
        }
        if turn.normalized.contains(anyPrefix: Self.cheaperWords + Self.alikeWords + RecommendationNode.togetherWords),
            prediction.intent == AgentType.productInfo.rawValue
                || (turn.catalogCoverage >= Self.alternativeCoverage && prediction.confidence < Self.namedProductConfidence)
        {
            // "Is there something cheaper than / similar to the X?", "What instead of / goes with the X?" asks
            // for advice, not for the X.
            return Turn.Route(node: AgentType.recommendation.rawValue, confidence: prediction.confidence, reason: "alternative")
        }
        if turn.catalogCoverage >= 1, slots.maxPrice != nil || slots.minPrice != nil,
            prediction.intent != AgentType.recommendation.rawValue, prediction.confidence < Self.namedProductConfidence
        {
            // "Laptop max 300e ft": a kind of product and a budget ask for suggestions.
            return Turn.Route(node: AgentType.recommendation.rawValue, confidence: prediction.confidence, reason: "budget")
        }
        if turn.catalogCoverage >= Self.strongCoverage {
            // (Nearly) every word names a product: search for it, unless the classifier is sure of something else.
            if prediction.intent == AgentType.recommendation.rawValue, slots.maxPrice == nil, slots.minPrice == nil,
                !turn.normalized.contains(anyPrefix: Self.adviceWords)
            {
                // A product's own name may sound like advice ("Ajándékkártya"); without a word asking for it, it is not.
                return Turn.Route(node: AgentType.productInfo.rawValue, confidence: prediction.confidence, reason: "catalog")
            }
            let productish = prediction.intent == AgentType.productInfo.rawValue || prediction.intent == AgentType.recommendation.rawValue
            if productish && prediction.confidence < threshold {
                return Turn.Route(node: prediction.intent, confidence: prediction.confidence, reason: "catalog")
            }
            if !productish && prediction.confidence < Self.namedProductConfidence {
                return Turn.Route(node: AgentType.productInfo.rawValue, confidence: prediction.confidence, reason: "catalog")
            }
        }
        if prediction.confidence < threshold && turn.normalized.words.count > 0 {
            return Turn.Route(node: Self.clarify, confidence: prediction.confidence, reason: "clarify")
        }
        return Turn.Route(node: prediction.intent, confidence: prediction.confidence, reason: "classifier")
    }

    /// The node a tapped payload belongs to, when it is one of ours.
    static func node(forPayload payload: String) -> String? {
        let head = payload.split(separator: ":", maxSplits: 1).first.map(String.init) ?? payload
        switch head {
        case "HANDOFF": return AgentType.handoff.rawValue
        case "MENU_PRODUCTS", "ADD_TO_CART", "DETAILS": return AgentType.productInfo.rawValue
        case "MENU_ORDER": return AgentType.orderStatus.rawValue
        case "MENU_CONTACT": return AgentType.general.rawValue
        case "CHEAPER", "TOGETHER": return AgentType.recommendation.rawValue
        case "SUBSCRIBE", "UNSUBSCRIBE": return AgentType.marketing.rawValue
        case "ROUTE": return payload.split(separator: ":", maxSplits: 1).last.map(String.init)
        default: return nil
        }
    }

    private func topics(_ language: Language) -> [QuickReply] {
        [
            QuickReply(title: resources.text("menu_products", language), payload: "ROUTE:product_info"),
            QuickReply(title: resources.text("menu_order", language), payload: "ROUTE:order_status"),
            QuickReply(title: resources.text("menu_recommendation", language), payload: "ROUTE:recommendation"),
            QuickReply(title: resources.text("menu_human", language), payload: "HANDOFF"),
        ]
    }

    static let cheaperWords = ["olcsobb", "olcsobban", "cheaper", "kevesebb", "less"]
    /// Words of asking for something like a product rather than for it.
    static let alikeWords = ["hasonlo", "similar", "helyett", "instead", "alternativ"]
    /// Words that ask for advice rather than name what is wanted.
    static let adviceWords = [
        "ajanl", "javasol", "tanacs", "otlet", "valassz", "illik", "melle", "hozza", "recommend", "suggest", "advice", "idea",
        "choose", "goes", "together",
    ] + cheaperWords + alikeWords
}
