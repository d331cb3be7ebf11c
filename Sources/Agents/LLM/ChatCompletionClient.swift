import AsyncHTTPClient
import HTTPCall
import Foundation
import NIOCore
import NIOHTTP1

/// Calls an OpenAI-compatible `/chat/completions` endpoint.
public struct ChatCompletionClient: Sendable {
    /// The model server answered, but not with a completion.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public let baseURL: String
    public let model: String
    private let apiKey: String
    private let timeout: Duration
    private let client: HTTPClient

    public init(baseURL: String, apiKey: String, model: String, timeout: Duration, client: HTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.apiKey = apiKey
        self.model = model
        self.timeout = timeout
        self.client = client
    }

    /// Sends `messages` with `tools` and returns the model's next message.
    public func complete(_ messages: [ChatCompletion.Message], tools: [ChatCompletion.Tool]) async throws -> ChatCompletion.Message {
        var request = HTTPClientRequest(url: "\(baseURL)/chat/completions")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = ChatCompletion.Request(model: model, messages: messages, tools: tools.isEmpty ? nil : tools, temperature: 0.2, maxTokens: 600)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(body)))
        let answer = try await client.call(request, deadline: timeout, maxBodyBytes: 1 << 20)
        let bytes = answer.body
        guard answer.status == .ok else {
            throw Failure(description: "the model server answered \(answer.status.code)")
        }
        let decoded: ChatCompletion.Response
        do {
            decoded = try JSONDecoder().decode(ChatCompletion.Response.self, from: Data(bytes.readableBytesView))
        } catch {
            throw Failure(description: "the model server's answer is not a chat completion")
        }
        guard let message = decoded.choices.first?.message else { throw Failure(description: "the completion has no choices") }
        return message
    }
}
