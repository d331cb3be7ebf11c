/// The parts of the OpenAI-compatible `/chat/completions` format ChatBuddy uses: messages, function tools
/// and tool calls.
public enum ChatCompletion {
    /// The body POSTed to `/chat/completions`.
    public struct Request: Codable, Sendable, Hashable {
        public var model: String
        public var messages: [Message]
        public var tools: [Tool]?
        public var temperature: Double?
        public var maxTokens: Int?

        enum CodingKeys: String, CodingKey {
            case model, messages, tools, temperature
            case maxTokens = "max_tokens"
        }
    }

    /// One message of the conversation sent to the model, or the model's reply.
    public struct Message: Codable, Sendable, Hashable {
        /// `system`, `user`, `assistant` or `tool`.
        public var role: String
        public var content: String?
        public var toolCalls: [ToolCall]?
        /// For `tool` messages: the call answered.
        public var toolCallID: String?

        public init(role: String, content: String?, toolCalls: [ToolCall]? = nil, toolCallID: String? = nil) {
            self.role = role
            self.content = content
            self.toolCalls = toolCalls
            self.toolCallID = toolCallID
        }

        enum CodingKeys: String, CodingKey {
            case role, content
            case toolCalls = "tool_calls"
            case toolCallID = "tool_call_id"
        }
    }

    /// A function the model may call.
    public struct Tool: Codable, Sendable, Hashable {
        public var type = "function"
        public var function: Function

        public struct Function: Codable, Sendable, Hashable {
            public var name: String
            public var description: String
            /// A JSON schema of the arguments.
            public var parameters: JSONValue
        }
    }

    /// The model asking for a function to be run.
    public struct ToolCall: Codable, Sendable, Hashable {
        public var id: String
        public var type: String?
        public var function: Call

        public struct Call: Codable, Sendable, Hashable {
            public var name: String
            /// The arguments as a JSON text, as the model wrote them.
            public var arguments: String
        }
    }

    /// The completion: the model's next message in `choices[0]`.
    public struct Response: Codable, Sendable, Hashable {
        public var choices: [Choice]

        public struct Choice: Codable, Sendable, Hashable {
            public var message: Message
            public var finishReason: String?

            enum CodingKeys: String, CodingKey {
                case message
                case finishReason = "finish_reason"
            }
        }
    }
}
