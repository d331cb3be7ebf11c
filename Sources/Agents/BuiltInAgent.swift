import ChatModel

/// The embedded agent until the agent graph lands: the general agent for greetings, thanks and "are you
/// a bot?", and the catalog for anything it does not recognise that names products.
public struct BuiltInAgent: Agent {
    /// Every template the built-in agents render.
    public static let templateNames = GeneralAgent.templateNames + ProductInfoAgent.templateNames

    private let general: GeneralAgent
    private let products: ProductInfoAgent

    public init(general: GeneralAgent, products: ProductInfoAgent) {
        self.general = general
        self.products = products
    }

    public func respond(to state: ConversationState) async throws -> AgentResponse {
        let response = try await general.respond(to: state)
        guard case .text(let text) = state.event.content, response.confidence < GeneralAgent.recognised,
            let found = try await products.answer(text, language: state.locale ?? .hu)
        else { return response }
        return found
    }
}
