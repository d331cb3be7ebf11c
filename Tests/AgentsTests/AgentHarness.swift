import Agents
import ChatModel
import Foundation
import Webshop

/// The embedded graph over the sample catalog, and a customer who talks to it turn by turn while the
/// harness keeps the conversation's memory, consents, history and mode as the gateway's store does.
enum AgentHarness {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let templates = root.appendingPathComponent("templates").path
    /// The demo content the conversations are written against (its offers and shop facts).
    static let demo = root.appendingPathComponent("demo").path

    static func resources() async throws -> AgentResources {
        try await AgentResources.load(directory: templates, overlay: demo)
    }

    /// The products of `demo/catalog/sample-unas.xml`.
    static let sampleProducts: [Product] = {
        guard let reader = try? UNASFeedReader(path: root.appendingPathComponent("demo/catalog/sample-unas.xml").path) else { return [] }
        var products: [Product] = []
        while let entry = try? reader.next() {
            if let product = entry.product { products.append(product) }
        }
        return products
    }()

    static func sampleShop(orders client: UNASClient? = nil) -> UNASWebshop {
        let catalog = Catalog()
        _ = catalog.replace(sampleProducts)
        return UNASWebshop(catalog: catalog, client: client)
    }

    /// The default settings with a turn deadline that a loaded test machine does not reach (the model fakes
    /// answer at once; the deadline tests set their own).
    static var patient: EmbeddedAgents.Settings {
        var settings = EmbeddedAgents.Settings()
        settings.turnDeadline = .seconds(60)
        return settings
    }

    static func graph(
        shop: any Webshop = sampleShop(), model: ChatCompletionClient? = nil, settings: EmbeddedAgents.Settings = patient
    ) async throws -> AgentGraph {
        try EmbeddedAgents.graph(resources: try await resources(), webshop: shop, settings: settings, model: model)
    }
}

/// One customer's conversation with an agent, as the gateway would carry it between turns.
struct Dialogue {
    let agent: any Agent
    var key: ConversationKey
    var memory = ConversationMemory()
    var consents: [ConsentTopic: Bool] = [:]
    var history: [HistoryEntry] = []
    var mode = ConversationMode.bot
    var locale: Language?
    var textLimit: Int?
    private var count = 0

    init(_ agent: any Agent, channel: Channel = .widget) {
        self.agent = agent
        self.key = ConversationKey(channel: channel, accountID: "web", userID: "customer-1")
    }

    /// Sends `content` and applies the answer's memory, consents and handoff.
    @discardableResult
    mutating func send(_ content: InboundContent) async throws -> AgentResponse {
        count += 1
        let event = InboundEvent(conversation: key, platformID: "m\(count)", timestamp: Date(), content: content)
        if let text = content.text { locale = LanguageDetector.detect(text) ?? locale }
        let state = ConversationState(
            key: key, mode: mode, locale: locale, history: history, event: event, memory: memory, consents: consents,
            textLimit: textLimit)
        let response = try await agent.respond(to: state)
        if let next = response.memory { memory = next }
        for action in response.actions {
            switch action {
            case .handoff: mode = .human
            case .handoffLater: break
            case .consent(let topic, let granted): consents[topic] = granted
            }
        }
        history.append(HistoryEntry(direction: .inbound, text: content.text, timestamp: Date()))
        for reply in response.replies { history.append(HistoryEntry(direction: .outbound, text: reply.text, timestamp: Date())) }
        return response
    }

    @discardableResult
    mutating func say(_ text: String) async throws -> AgentResponse {
        try await send(.text(text))
    }

    @discardableResult
    mutating func tap(_ title: String, _ payload: String) async throws -> AgentResponse {
        try await send(.quickReply(title: title, payload: payload))
    }
}

extension AgentResponse {
    /// Every reply's text, joined by newlines.
    var text: String { replies.compactMap(\.text).joined(separator: "\n") }
    /// The skus of every card.
    var skus: [String] { replies.flatMap { $0.cards ?? [] }.compactMap(\.sku) }
}
