import Agents
import ChatModel
import Foundation
import Testing

@Suite("Guardrails and the graph's wiring")
struct GuardrailTests {
    @Test("a message over the length limit is refused politely, without reaching a specialist")
    func tooLong() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say(String(repeating: "kávéfőző ", count: 300))
        #expect(answer.text.contains("túl hosszú"))
        #expect(answer.trace.map(\.node) == ["input_guardrails", "output_guardrails"])
        #expect(answer.trace[0].outcome == "too_long")
    }

    @Test("abuse gets a calm word, and the question is still answered")
    func abusive() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        let answer = try await dialogue.say("Hülye bot, hol a csomagom?")
        #expect(answer.trace[0].outcome == "abusive")
        #expect(answer.replies.first?.text?.contains("bosszús") == true)
        #expect(answer.agent == .orderStatus)
    }

    @Test("replies are cut to the channel's text limit at a word, marked with an ellipsis")
    func textLimit() async throws {
        var dialogue = Dialogue(try await AgentHarness.graph())
        dialogue.textLimit = 60
        let answer = try await dialogue.say("Milyen szállítási módok vannak?")
        for text in answer.replies.compactMap(\.text) {
            #expect(text.count <= 60)
        }
        #expect(answer.text.hasSuffix("…"))
        #expect(answer.trace.last?.outcome == "shortened")
    }

    @Test("other people's contacts and order numbers, tokens and stack traces never leave")
    func redaction() {
        let allowed: Set<String> = ["me@example.hu", "10001000123"]
        let text = """
            Your order 1000-1000123 for me@example.hu. Order 1000-1000999 belongs to other@example.hu, +36 30 999 8877.
            token sk-abcdefghijklmnop and 0123456789abcdef0123456789abcdef01
            Fatal error: index out of range at Sources/Agents/Nodes/X.swift:12
            """
        let cleaned = OutputRedaction.redact(text, allowed: allowed)
        #expect(cleaned.contains("1000-1000123"))
        #expect(cleaned.contains("me@example.hu"))
        #expect(!cleaned.contains("1000-1000999"))
        #expect(!cleaned.contains("other@example.hu"))
        #expect(!cleaned.contains("sk-abcdefghijklmnop"))
        #expect(!cleaned.contains("0123456789abcdef0123456789abcdef01"))
        #expect(!cleaned.contains("Fatal error"))
        #expect(!cleaned.contains(".swift:"))
        #expect(OutputRedaction.redact("Másé: (1000-1000999).", allowed: allowed) == "Másé: ([…]).")
        #expect(OutputRedaction.redact("Köszönjük, a kávéfőző  úton van!\n\nüdv", allowed: []) == "Köszönjük, a kávéfőző  úton van!\n\nüdv")
        #expect(OutputRedaction.redact("ok\n    at Gateway.run()\nvége", allowed: []) == "ok\nvége")
    }

    @Test("an answer that shows an order the customer has not verified is withheld")
    func unverifiedOrder() async throws {
        let resources = try await AgentHarness.resources()
        let graph = try EmbeddedAgents.graph(
            resources: resources, webshop: AgentHarness.sampleShop(), extraNodes: [LeakyNode()])
        var turn = await graph.understanding.turn(for: Dialogue.state("mi a státusza?"))
        try await graph.run(&turn, from: LeakyNode().name)
        #expect(turn.replies.count == 1)
        #expect(turn.replies[0].text?.contains("Beérkezett") == false)
        #expect(turn.trace.last?.outcome == "withheld_order")
    }

    @Test("the turn's language is the one the gateway set on the state; it is detected only when none was set")
    func languageDetectedOnce() async throws {
        let graph = try EmbeddedAgents.graph(resources: try await AgentHarness.resources(), webshop: AgentHarness.sampleShop())
        var state = Dialogue.state("Szia, mennyibe kerül a szállítás?")
        state.locale = .en
        #expect(await graph.understanding.turn(for: state).language == .en)
        state.locale = nil
        #expect(await graph.understanding.turn(for: state).language == .hu)
    }

    @Test("a graph refuses duplicate nodes and an intent without a node")
    func wiring() async throws {
        let resources = try await AgentHarness.resources()
        #expect(throws: AgentGraph.InvalidGraph.self) {
            try EmbeddedAgents.graph(resources: resources, webshop: AgentHarness.sampleShop(), extraNodes: [LeakyNode(), LeakyNode()])
        }
        let withNewIntent = IntentClassifier(training: LabeledMessage.builtIn + [
            LabeledMessage(intent: "warranty_claims", language: .hu, text: "Garanciális javításra vinném a gépet"),
        ])
        #expect(throws: AgentGraph.InvalidGraph.self) {
            try EmbeddedAgents.graph(resources: resources, webshop: AgentHarness.sampleShop(), classifier: withNewIntent)
        }
        // Adding the agent is adding its node.
        let graph = try EmbeddedAgents.graph(
            resources: resources, webshop: AgentHarness.sampleShop(), classifier: withNewIntent,
            extraNodes: [NamedNode(name: "warranty_claims")])
        #expect(graph.nodeNames.contains("warranty_claims"))
    }
}

/// A broken specialist that shows an order nobody verified.
struct LeakyNode: AgentNode {
    let name = "leaky"
    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.say("A 1000-1000000 rendelés állapota: Beérkezett.")
        turn.disclosedOrder = "1000-1000000"
        return NodeStep("answered", next: "output_guardrails")
    }
}

/// A specialist that answers with its own name.
struct NamedNode: AgentNode {
    let name: String
    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.say(name)
        turn.answeredBy = AgentType(rawValue: name)
        return NodeStep("answered", next: "output_guardrails")
    }
}

extension Dialogue {
    static func state(_ text: String) -> ConversationState {
        let key = ConversationKey(channel: .widget, accountID: "web", userID: "customer-1")
        return ConversationState(
            key: key, mode: .bot, locale: .hu, history: [],
            event: InboundEvent(conversation: key, platformID: "m", timestamp: Date(), content: .text(text)))
    }
}
