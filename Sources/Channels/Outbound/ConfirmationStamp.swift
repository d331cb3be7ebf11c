import Foundation

/// Puts a send's idempotency key into its request body where the platform hands it back in its own report
/// of the send (docs/channels.md §7), so a send whose outcome the gateway lost can be confirmed.
enum ConfirmationStamp {
    /// `object` (a JSON object's text) with `field` set to `value`, added as its first member; nil when
    /// `object` is not a JSON object's text.
    static func prepending(_ field: String, _ value: some Encodable, to object: String) -> String? {
        guard object.first == "{", object.last == "}", let field = json(field), let value = json(value) else { return nil }
        let rest = object.dropFirst().drop { $0.isWhitespace }
        return "{" + field + ":" + value + (rest.first == "}" ? "" : ",") + rest
    }

    /// `value` as JSON text.
    static func json(_ value: some Encodable) -> String? {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
