import AsyncHTTPClient
import HTTPCall
import ChatModel
import Foundation
import Logging
import NIOCore

/// Sends each turn to an external agent graph over HTTP and answers with its replies, checked by the
/// output guardrails; the embedded graph answers when the remote one fails or is slow.
public struct RemoteAgent: Agent {
    /// The remote graph answered, but not with a reply.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let url: String
    private let timeout: Duration
    private let client: HTTPClient
    private let fallback: AgentGraph
    private let logger: Logger

    public init(url: String, timeout: Duration, client: HTTPClient, fallback: AgentGraph, logger: Logger) {
        self.url = url
        self.timeout = timeout
        self.client = client
        self.fallback = fallback
        self.logger = logger
    }

    public func respond(to state: ConversationState) async throws -> AgentResponse {
        let understanding = fallback.understanding
        var turn = await understanding.turn(for: state)
        let started = ContinuousClock.now
        do {
            let answer = try await ask(RemoteTurn(state, language: turn.language))
            turn.replies = answer.replies
            turn.answeredBy = answer.agentType
            turn.confidence = answer.confidence ?? 1
            if let memory = answer.memory { turn.memory = memory }
            for action in answer.actions ?? [] {
                if let handoff = action.handoff { turn.actions.append(.handoff(reason: handoff.reason)) }
                if let consent = action.consent { turn.actions.append(.consent(consent.topic, granted: consent.granted)) }
            }
            turn.trace.append(NodeTrace(node: "remote", outcome: "answered", milliseconds: (ContinuousClock.now - started).milliseconds))
            try await fallback.run(&turn, from: "output_guardrails")
            return turn.response
        } catch {
            logger.warning("remote agent graph failed; the embedded graph answers", metadata: ["error": "\(error)"])
            var local = await understanding.turn(for: state)
            local.trace.append(NodeTrace(node: "remote", outcome: "fallback", milliseconds: (ContinuousClock.now - started).milliseconds))
            try await fallback.run(&local)
            return local.response
        }
    }

    private func ask(_ turn: RemoteTurn) async throws -> RemoteAnswer {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(bytes: try encoder.encode(turn)))
        let answer = try await client.call(request, deadline: timeout, maxBodyBytes: 1 << 20)
        guard answer.status == .ok else {
            throw Failure(description: "the remote agent graph answered \(answer.status.code)")
        }
        return try JSONDecoder().decode(RemoteAnswer.self, from: Data(answer.body.readableBytesView))
    }
}
