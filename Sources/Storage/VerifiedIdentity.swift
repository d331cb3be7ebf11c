import ChatModel
import Foundation

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

    /// The contact a customer verified an order with: an address, or a phone number as people write it
    /// (`06 30 123 4567`, `+36 30 123 4567`).
    init(contact: String) {
        let trimmed = contact.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("@") {
            email = trimmed.lowercased()
            return
        }
        let digits = String(trimmed.filter { $0.isASCII && $0.isNumber })
        let number = "+" + (digits.hasPrefix("06") ? "36" + digits.dropFirst(2) : digits)
        phone = Self.isE164(number) ? number : nil
    }

    private static func isE164(_ number: String) -> Bool {
        number.first == "+" && (8...16).contains(number.count) && number.dropFirst().allSatisfy(\.isASCII) && number.dropFirst().allSatisfy(\.isNumber)
    }
}
