/// Says where a webhook body failed to decode, in words safe to show the caller (`entry[0].id is required`).
enum WebhookDecodingError {
    static func describe(_ error: DecodingError, notification: String) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "body" : String(keys.drop { $0 == "." })
        }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty: return "body is not valid JSON"
        case .dataCorrupted(let context): return "\(path(context)): invalid value"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return parent == "body" ? "\(key.stringValue) is required" : "\(parent).\(key.stringValue) is required"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "\(path(context)): wrong type"
        @unknown default: return "body is not a \(notification) notification"
        }
    }
}
