import ChatModel

/// What a platform vouches for about a participant: the phone number behind an SMS sender or a WhatsApp
/// id, or the address of an e-mail sender. Participants sharing one are the same customer.
struct VerifiedIdentity: Sendable, Hashable {
    /// E.164, with the `+`.
    var phone: String?
    /// Lower-cased.
    var email: String?

    init(channel: Channel, platformUserID id: String) {
        switch channel {
        case .sms:
            let number = id.hasPrefix("whatsapp:") ? String(id.dropFirst("whatsapp:".count)) : id
            phone = Self.isE164(number) ? number : nil
        case .whatsapp:
            phone = Self.isE164("+" + id) ? "+" + id : nil
        case .email:
            let address = id.lowercased()
            email = address.contains("@") ? address : nil
        default:
            break
        }
    }

    private static func isE164(_ number: String) -> Bool {
        number.first == "+" && (8...16).contains(number.count) && number.dropFirst().allSatisfy(\.isASCII) && number.dropFirst().allSatisfy(\.isNumber)
    }
}
