/// Widget message ids: the client names its messages; stored platform ids are prefixed with the session
/// so that ids chosen by different browsers never collide.
public enum WidgetMessageID {
    /// The stored platform id of a client's message.
    public static func platformID(session: String, clientID: String) -> String {
        "\(session):\(clientID)"
    }

    /// The client's own id inside a stored platform id of that session.
    public static func clientPart(of platformID: String, session: String) -> String {
        let prefix = session + ":"
        return platformID.hasPrefix(prefix) ? String(platformID.dropFirst(prefix.count)) : platformID
    }

    /// Whether a client-chosen id is acceptable: 1 to 64 letters, digits, `-` or `_`.
    public static func isValid(_ id: String) -> Bool {
        (1...64).contains(id.utf8.count) && id.utf8.allSatisfy(isIDByte)
    }

    /// Whether a session id is acceptable: 8 to 128 letters, digits, `-` or `_`.
    public static func isValidSession(_ id: String) -> Bool {
        (8...128).contains(id.utf8.count) && id.utf8.allSatisfy(isIDByte)
    }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }
}
