import ChatModel
import Foundation

/// Checks every reply before it leaves: no order details the customer has not verified, no other
/// people's contact details or order numbers, no tokens or stack traces, nothing over the channel's limit.
struct OutputGuardrails: AgentNode {
    let name = "output_guardrails"
    let resources: AgentResources

    func run(_ turn: inout Turn) async throws -> NodeStep {
        if let facts = turn.modelFacts, let route = turn.route {
            let stated = turn.replies.compactMap(\.text).flatMap { Grounding.ungrounded($0, facts: facts) }
            if !stated.isEmpty {
                // The model stated numbers no tool or shop fact gave it: the embedded specialist answers instead.
                turn.replies = []
                turn.modelFacts = nil
                turn.modelAllowed = false
                return NodeStep("ungrounded", next: route.node)
            }
        }
        var outcome = "passed"
        if let order = turn.disclosedOrder, !turn.memory.verifiedOrders.contains(order) {
            turn.replies = [Reply(text: resources.text("order_ask_verification", turn.language, ["order": order]))]
            turn.memory.awaiting = .orderVerification
            return NodeStep("withheld_order", next: nil)
        }
        let allowed = allowedDetails(turn)
        for index in turn.replies.indices {
            guard let text = turn.replies[index].text else { continue }
            var cleaned = OutputRedaction.redact(text, allowed: allowed)
            if let limit = turn.conversation.textLimit, cleaned.count > limit {
                cleaned = Self.shorten(cleaned, to: limit)
                outcome = "shortened"
            }
            if cleaned != text {
                turn.replies[index].text = cleaned
                if outcome == "passed" { outcome = "redacted" }
            }
        }
        return NodeStep(outcome, next: nil)
    }

    /// Emails, phones and order numbers the reply may contain: the customer's own and the shop's.
    private func allowedDetails(_ turn: Turn) -> Set<String> {
        var allowed = Set(resources.knowledge.values.flatMap(\.publicContacts).map(OutputRedaction.key))
        for value in [turn.slots.email, turn.slots.phone, turn.slots.orderNumber, turn.memory.orderKey, turn.memory.verification] {
            if let value { allowed.insert(OutputRedaction.key(value)) }
        }
        for order in turn.memory.verifiedOrders { allowed.insert(OutputRedaction.key(order)) }
        return allowed
    }

    /// `text` cut to `limit` characters at a word boundary, marked with "…".
    static func shorten(_ text: String, to limit: Int) -> String {
        guard limit > 1 else { return "…" }
        var cut = String(text.prefix(limit - 1))
        if let space = cut.lastIndex(where: \.isWhitespace), cut.distance(from: cut.startIndex, to: space) > limit / 2 {
            cut = String(cut[..<space])
        }
        return cut.trimmingCharacters(in: .whitespaces) + "…"
    }
}

/// Removes from a reply what must never reach a customer: tokens and keys, stack traces, and contact
/// details or order numbers that are not the customer's own or the shop's.
public enum OutputRedaction {
    /// Replaces secrets, stack traces and contact details or order numbers not in `allowed` with "…".
    public static func redact(_ text: String, allowed: Set<String>) -> String {
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // A stack trace or crash line never reaches a customer.
            if ["Fatal error", ".swift:", "Stack trace", "    at "].contains(where: line.containsBytes) { continue }
            var words: [String] = []
            for token in line.split(omittingEmptySubsequences: false, whereSeparator: { $0 == " " }) {
                let bare = String(token.trimmingScalars { ".,;:!?()[]\"'".unicodeScalars.contains($0) })
                if isSecret(bare) || (isPersonal(bare) && !allowed.contains(key(bare))) {
                    words.append(token.replacingOccurrences(of: bare, with: "[…]"))
                } else {
                    words.append(String(token))
                }
            }
            lines.append(words.joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }

    /// Tokens and keys: bearer prefixes, Meta and OpenAI style keys, long runs of hex or base64.
    static func isSecret(_ token: String) -> Bool {
        if token.hasPrefix("sk-") || token.hasPrefix("EAA") && token.count > 20 || token.hasPrefix("Bearer") { return true }
        guard token.count >= 32, !token.utf8.contains(UInt8(ascii: "/")), !token.utf8.contains(UInt8(ascii: ".")) else { return false }
        let letters = token.filter(\.isLetter).count
        let digits = token.filter(\.isNumber).count
        return letters > 0 && digits > 0 && token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "=" || $0 == "+" }
    }

    /// An email address, phone number or order number.
    static func isPersonal(_ token: String) -> Bool {
        if token.utf8.contains(UInt8(ascii: "@")) { return SlotExtractor.isEmail(token) }
        if token.hasPrefix("http") { return false }
        return SlotExtractor.isOrderNumber(token) || SlotExtractor.phone(in: token) != nil
    }

    /// The comparable form of a detail: lower case, digits only for numbers.
    static func key(_ value: String) -> String {
        value.utf8.contains(UInt8(ascii: "@")) ? value.lowercased() : value.filter(\.isNumber)
    }
}
