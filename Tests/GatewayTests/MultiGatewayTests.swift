import Foundation
import Gateway
import TestSupport
import Testing

/// Two gateways on one PostgreSQL, each receiving part of every conversation's webhooks, as behind a load
/// balancer: every message is answered once, in order.
@Suite("Several gateways on one PostgreSQL")
struct MultiGatewayTests {
    static let script = ["szia", "Hol tart a rendelésem?", "köszönöm"]

    @Test("webhooks spread over two gateways are answered exactly once each, in each conversation's order",
        arguments: TestDatabase.engines.filter { $0 == .postgres })
    func twoGateways(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        let upstream = FakeUpstream()
        let customers = (0..<12).map { "M\($0)" }
        try await upstream.serve { graphURL in
            let config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            try await GatewayHarness.run(config: config, upstream: upstream) { first in
                try await GatewayHarness.run(config: config, upstream: upstream) { second in
                    let gateways = [first, second]
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for (number, customer) in customers.enumerated() {
                            group.addTask {
                                for (index, text) in Self.script.enumerated() {
                                    let body = Messenger.body(Messenger.text("\(customer)-\(index)", from: customer, text))
                                    let status = try await gateways[(number + index) % 2].webhook(body).status
                                    #expect(status == 200)
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    _ = try await upstream.waitForRequests(customers.count * Self.script.count, timeout: .seconds(30))
                    try await Task.sleep(for: .seconds(1))
                }
            }
        }
        let requests = await upstream.requests
        #expect(requests.count == customers.count * Self.script.count, "one reply per message, none twice")
        for customer in customers {
            let replies = requests.filter { ($0.json["recipient"] as? NSDictionary)?["id"] as? String == customer }
            let texts = replies.map { (($0.json["message"] as? NSDictionary)?["text"] as? String) ?? "" }
            #expect(texts.count == Self.script.count, "\(customer): \(texts)")
            // The order question is answered second: it asks for the order number.
            #expect(texts.count == 3 && texts[1].lowercased().contains("rendelés") && !texts[0].lowercased().contains("rendelés"), "\(customer): \(texts)")
        }
    }

    @Test("a widget socket on one gateway hears every answer, whichever gateway's delivery took it; an operator's reply sent on another reaches it",
        arguments: TestDatabase.engines.filter { $0 == .postgres })
    func widgetAcrossGateways(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            let config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            try await GatewayHarness.run(config: config, upstream: upstream) { first in
                try await GatewayHarness.run(config: config, upstream: upstream) { second in
                    // The socket is on the first gateway; each answer is claimed by either gateway's delivery.
                    let socket = first.widget("fan-out-session-1")
                    _ = try await socket.next("history")
                    for number in 0..<6 {
                        let id = socket.say(number % 2 == 0 ? "Szia!" : "Köszönöm!")
                        let response = try await socket.next("chat_response", timeout: .seconds(10))
                        #expect(response["in_reply_to"] as? String == id)
                    }
                    // An operator answers on the second gateway: its delivery holds the reply (no socket there)
                    // and says so; the first gateway, which has the socket, sends it.
                    let conversations = try await second.admin("/conversations?channel=widget").json["items"] as? [NSDictionary] ?? []
                    let id = try #require(conversations.first?["id"] as? Int)
                    for number in 0..<3 {
                        #expect(try await second.operatorReply(conversation: id, #"{"reply":{"text":"Operátor \#(number)"}}"#).status == 202)
                        let response = try await socket.next("chat_response", timeout: .seconds(10))
                        #expect(response["content"] as? String == "Operátor \(number)")
                    }
                    try await socket.close()
                }
            }
        }
    }

    @Test("a REST turn on one gateway gets its answer, and the session's socket on the other hears it, whichever gateway's delivery took it",
        arguments: TestDatabase.engines.filter { $0 == .postgres })
    func restTurnAcrossGateways(engine: TestDatabase) async throws {
        let databaseURL = try await engine.makeURL()
        let upstream = FakeUpstream()
        try await upstream.serve { graphURL in
            var config = GatewayHarness.config(graphURL: graphURL, databaseURL: databaseURL)
            config.widget?.replyTimeout = .seconds(8)
            try await GatewayHarness.run(config: config, upstream: upstream) { first in
                try await GatewayHarness.run(config: config, upstream: upstream) { second in
                    // No socket anywhere: the answer reaches the turn on the second gateway, whoever delivers it.
                    for number in 0..<4 {
                        let answer = try await second.chat(#"{"session_id":"rest-alone-0001","content":"Szia!","message_id":"alone-\#(number)"}"#)
                        #expect(answer.status == 200, "\(answer.body)")
                        #expect((answer.json["data"] as? NSDictionary)?["in_reply_to"] as? String == "alone-\(number)")
                    }
                    // A socket of the same session on the first gateway hears the turns' answers too.
                    let socket = first.widget("rest-shared-0001")
                    _ = try await socket.next("history")
                    for number in 0..<4 {
                        let answer = try await second.chat(#"{"session_id":"rest-shared-0001","content":"Szia!","message_id":"shared-\#(number)"}"#)
                        #expect(answer.status == 200, "\(answer.body)")
                        let heard = try await socket.next("chat_response", timeout: .seconds(10))
                        #expect(heard["in_reply_to"] as? String == "shared-\(number)")
                        #expect(heard["message_id"] as? String == (answer.json["data"] as? NSDictionary)?["message_id"] as? String)
                    }
                    try await socket.close()
                }
            }
        }
    }
}
