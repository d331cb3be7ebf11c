import ChatModel
import Foundation

/// A frame the server sends to the widget, as docs/architecture.md §4 defines them; encoded as `{"type", "data"}`.
public enum WidgetServerFrame: Encodable, Sendable, Hashable {
    case connectionEstablished(ConnectionEstablished)
    case chatResponse(ChatResponse)
    /// A customer message of this session, so every open tab shows it.
    case chatMessage(ChatMessage)
    /// The recent conversation, oldest first, sent once after connecting.
    case history(History)
    case pong(Pong)
    case sessionInfo(SessionInfo)
    case error(ErrorData)

    /// The frame as one JSON text.
    public func json() -> String {
        let data = try? WidgetFrameCoding.encoder.encode(self)
        return String(decoding: data ?? Data(#"{"type":"error","data":{}}"#.utf8), as: UTF8.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let (type, data) = parts
        try container.encode(type, forKey: .type)
        try container.encode(data, forKey: .data)
    }

    /// The frame's `type` name and its `data`.
    private var parts: (String, any Encodable) {
        switch self {
        case .connectionEstablished(let data): ("connection_established", data)
        case .chatResponse(let data): ("chat_response", data)
        case .chatMessage(let data): ("chat_message", data)
        case .history(let data): ("history", data)
        case .pong(let data): ("pong", data)
        case .sessionInfo(let data): ("session_info", data)
        case .error(let data): ("error", data)
        }
    }

    enum CodingKeys: String, CodingKey { case type, data }

    public struct ConnectionEstablished: Codable, Sendable, Hashable {
        public var connectionID: String
        public var sessionID: String
        public var userID: String?
        public var timestamp: Date

        public init(connectionID: String, sessionID: String, userID: String?, timestamp: Date) {
            self.connectionID = connectionID
            self.sessionID = sessionID
            self.userID = userID
            self.timestamp = timestamp
        }

        enum CodingKeys: String, CodingKey {
            case connectionID = "connection_id"
            case sessionID = "session_id"
            case userID = "user_id"
            case timestamp
        }
    }

    public struct ChatResponse: Codable, Sendable, Hashable {
        public struct Metadata: Codable, Sendable, Hashable {
            /// Seconds the agent took.
            public var processingTime: Double
            public var language: Language
            /// The agent graph's nodes with their outcome and time.
            public var nodes: [NodeTrace]?

            enum CodingKeys: String, CodingKey {
                case processingTime = "processing_time"
                case language, nodes
            }
        }

        public var messageID: String
        public var inReplyTo: String
        public var content: String
        public var agentType: AgentType
        public var confidence: Double
        public var timestamp: Date
        public var metadata: Metadata
        public var reply: Reply

        /// The frame for a stored widget answer, pushed now under `messageID`.
        public init(messageID: String, timestamp: Date, stored: WidgetReply) {
            self.messageID = messageID
            self.inReplyTo = stored.inReplyTo
            self.content = stored.content
            self.agentType = stored.agentType
            self.confidence = stored.confidence
            self.timestamp = timestamp
            self.metadata = Metadata(processingTime: stored.processingTime, language: stored.language, nodes: stored.nodes)
            self.reply = stored.reply
        }

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case inReplyTo = "in_reply_to"
            case content
            case agentType = "agent_type"
            case confidence, timestamp, metadata, reply
        }
    }

    public struct ChatMessage: Codable, Sendable, Hashable {
        public var messageID: String
        public var content: String
        public var timestamp: Date

        public init(messageID: String, content: String, timestamp: Date) {
            self.messageID = messageID
            self.content = content
            self.timestamp = timestamp
        }

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case content, timestamp
        }
    }

    public struct History: Encodable, Sendable, Hashable {
        public var sessionID: String
        /// `chat_message` and `chat_response` frames, oldest first.
        public var messages: [WidgetServerFrame]

        public init(sessionID: String, messages: [WidgetServerFrame]) {
            self.sessionID = sessionID
            self.messages = messages
        }

        enum CodingKeys: String, CodingKey {
            case sessionID = "session_id"
            case messages
        }
    }

    public struct Pong: Codable, Sendable, Hashable {
        public var timestamp: Date

        public init(timestamp: Date) {
            self.timestamp = timestamp
        }
    }

    public struct SessionInfo: Codable, Sendable, Hashable {
        public var sessionID: String
        public var connectionID: String
        public var userID: String?
        /// Sockets open on this session, this one included.
        public var connections: Int
        public var timestamp: Date

        public init(sessionID: String, connectionID: String, userID: String?, connections: Int, timestamp: Date) {
            self.sessionID = sessionID
            self.connectionID = connectionID
            self.userID = userID
            self.connections = connections
            self.timestamp = timestamp
        }

        enum CodingKeys: String, CodingKey {
            case sessionID = "session_id"
            case connectionID = "connection_id"
            case userID = "user_id"
            case connections, timestamp
        }
    }

    public struct ErrorData: Codable, Sendable, Hashable {
        public var errorType: WidgetError.Kind
        public var errorMessage: String
        public var timestamp: Date

        public init(_ error: WidgetError, timestamp: Date) {
            self.errorType = error.kind
            self.errorMessage = error.message
            self.timestamp = timestamp
        }

        enum CodingKeys: String, CodingKey {
            case errorType = "error_type"
            case errorMessage = "error_message"
            case timestamp
        }
    }
}

extension WidgetReply {
    /// Reads a stored widget payload.
    public static func decode(_ payload: String) throws -> WidgetReply {
        try WidgetFrameCoding.decoder.decode(WidgetReply.self, from: Data(payload.utf8))
    }
}
