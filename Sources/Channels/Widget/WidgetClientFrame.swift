import Foundation

/// A frame the widget sends over its socket, as docs/architecture.md §4 defines them.
public enum WidgetClientFrame: Sendable, Hashable {
    case chatMessage(WidgetInput)
    case ping
    case sessionInfo
    /// What the shop's page reports through the widget (`ChatBuddy.track`): the frame's JSON, whose `event`
    /// names the shop event (docs/architecture.md §4); the gateway reads it as one.
    case track(String)

    /// Parses and validates one text frame; the error names the `error_type` to answer with.
    public static func parse(_ text: String, maxCharacters: Int) throws(WidgetError) -> WidgetClientFrame {
        let wire: Wire
        do {
            wire = try WidgetFrameCoding.decoder.decode(Wire.self, from: Data(text.utf8))
        } catch let error as DecodingError {
            throw WidgetError(.invalidJSON, Self.reason(error))
        } catch {
            throw WidgetError(.invalidJSON, "the frame is not valid JSON")
        }
        switch wire.type {
        case "chat_message":
            return .chatMessage(
                try WidgetInput(
                    content: wire.content, messageID: wire.messageID, quickReplyPayload: wire.payload,
                    postbackPayload: wire.postback, userID: wire.userID, maxCharacters: maxCharacters))
        case "ping":
            return .ping
        case "session_info":
            return .sessionInfo
        case "track":
            return .track(text)
        default:
            throw WidgetError(.unknownType, "unknown frame type '\(wire.type.prefix(40))'")
        }
    }

    private struct Wire: Decodable {
        var type: String
        var content: String?
        var messageID: String?
        var payload: String?
        var postback: String?
        var userID: String?

        enum CodingKeys: String, CodingKey {
            case type, content
            case messageID = "message_id"
            case payload, postback
            case userID = "user_id"
        }
    }

    private static func reason(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "'\(key.stringValue)' is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            context.codingPath.last.map { "'\($0.stringValue)' must be a string" } ?? "the frame must be a JSON object"
        case .dataCorrupted: "the frame is not valid JSON"
        @unknown default: "the frame is not valid JSON"
        }
    }
}
