import Agents
import AsyncHTTPClient
import ChatModel
import Foundation
import TestSupport
import Testing

/// A model's answer states only numbers it was given, within the turn's deadline; the shop's facts come with it.
@Suite("Grounded model answers")
struct GroundingTests {
    @Test("numbers are read as people write them, and those not given are named")
    func numbers() {
        #expect(Grounding.numbers(in: "12 990 Ft, 12.990 Ft vagy 12990 forint; 2 db, 1,5 l") == ["12990", "2", "1", "5"])
        #expect(Grounding.ungrounded("Most 9 990 Ft, 2 darab van.", facts: ["12990"]) == ["9990"])
        #expect(Grounding.ungrounded("Most 12 990 Ft.", facts: ["12990"]).isEmpty)
    }

    @Test("a price the tools did not return sends the turn to the embedded specialist")
    func inventedPrice() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([
            ModelAndRemoteTests.toolCall("search_products", #"{"query":"filteres kávéfőző"}"#),
            ModelAndRemoteTests.completion(#"{"role":"assistant","content":"A Tefal filteres kávéfőző most csak 9 990 Ft!"}"#),
        ])
        try await upstream.serve { base in
            try await ModelAndRemoteTests.withClient { client in
                let model = ChatCompletionClient(baseURL: base, apiKey: "k", model: "m", timeout: .seconds(30), client: client)
                var dialogue = Dialogue(try await AgentHarness.graph(model: model))
                let answer = try await dialogue.say("Van filteres kávéfőzőtök?")
                #expect(!answer.text.contains("9 990"))
                #expect(answer.text.contains("Ezeket a termékeket találtam"))
                #expect(answer.trace.map(\.outcome).contains("ungrounded"))
                #expect(answer.trace.map(\.node) == ["input_guardrails", "coordinator", "model_writer", "output_guardrails", "product_info", "output_guardrails"])
            }
        }
    }

    @Test("the shop's facts for the question come with the instructions, and their numbers may be stated")
    func shopFacts() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([ModelAndRemoteTests.completion(#"{"role":"assistant","content":"Szállítási információ a boltból."}"#)])
        try await upstream.serve { base in
            try await ModelAndRemoteTests.withClient { client in
                let model = ChatCompletionClient(baseURL: base, apiKey: "k", model: "m", timeout: .seconds(30), client: client)
                var dialogue = Dialogue(try await AgentHarness.graph(model: model))
                _ = try await dialogue.say("Mennyi a szállítási díj?")
                let system = ((await upstream.requests.first?.json["messages"] as? [NSDictionary])?.first?["content"] as? String) ?? ""
                #expect(system.contains("Shop facts"))
                #expect(system.contains("State no price"))
            }
        }
    }

    @Test("a model slower than the turn's deadline is not waited for, however long each call may take")
    func turnDeadline() async throws {
        let upstream = FakeUpstream()
        let slow = ModelAndRemoteTests.completion(#"{"role":"assistant","content":"too late"}"#)
        await upstream.enqueue([.init(status: slow.status, body: slow.body, delay: .seconds(3))])
        try await upstream.serve { base in
            try await ModelAndRemoteTests.withClient { client in
                let model = ChatCompletionClient(baseURL: base, apiKey: "k", model: "m", timeout: .seconds(10), client: client)
                var settings = EmbeddedAgents.Settings()
                settings.turnDeadline = .milliseconds(300)
                var dialogue = Dialogue(try await AgentHarness.graph(model: model, settings: settings))
                let answer = try await dialogue.say("Van kávéfőzőtök?")
                #expect(answer.trace[2].outcome == "fallback")
                #expect(!answer.text.contains("too late"))
                #expect(answer.agent == .productInfo)
            }
        }
    }
}
