import ChatModel
import Foundation
import Webshop

/// Tells customers where their order is, only after they prove it is theirs: asks for the order number,
/// then the order's email or phone; explains cancellations, address changes and returns and offers a human.
struct OrderStatusNode: AgentNode {
    let name = AgentType.orderStatus.rawValue
    let resources: AgentResources
    let webshop: any Webshop
    /// Wrong verification details accepted before the bot stops trying and offers a human.
    let maximumAttempts = 3

    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.answeredBy = .orderStatus
        let language = turn.language
        if let number = turn.slots.orderNumber, number != turn.memory.orderKey {
            turn.memory.orderKey = number
            turn.memory.failedVerifications = 0
        }
        if turn.conversation.event.senderUnverified == true {
            // The sender's address may be forged (an email failing SPF and DKIM): no order is looked up.
            turn.memory.awaiting = nil
            turn.say(resources.text("order_unverified_sender", language), quickReplies: [humanButton(language)])
            return NodeStep("unverified_sender", next: "output_guardrails")
        }
        if let change = changeRequest(turn.normalized) {
            turn.memory.awaiting = nil
            turn.say(resources.text("order_change_\(change)", language), quickReplies: [humanButton(language)])
            return NodeStep("change:\(change)", next: "output_guardrails")
        }
        guard let key = turn.memory.orderKey else {
            turn.memory.awaiting = .orderNumber
            turn.say(resources.text("order_ask_number", language))
            return NodeStep("ask_number", next: "output_guardrails")
        }
        if turn.memory.failedVerifications >= maximumAttempts {
            turn.say(resources.text("order_too_many", language), quickReplies: [humanButton(language)])
            return NodeStep("locked", next: "output_guardrails")
        }
        let verification: String
        if let given = turn.slots.verification {
            verification = given
        } else if turn.memory.verifiedOrders.contains(key), let known = turn.memory.verification {
            verification = known
        } else {
            turn.memory.awaiting = .orderVerification
            turn.say(resources.text("order_ask_verification", language, ["order": key]))
            return NodeStep("ask_verification", next: "output_guardrails")
        }
        let order: Order?
        do {
            order = try await webshop.order(key: key, verification: verification, requester: turn.conversation.key.requester)
        } catch WebshopError.verificationLocked {
            turn.memory.awaiting = nil
            turn.say(resources.text("order_too_many", language), quickReplies: [humanButton(language)])
            return NodeStep("locked", next: "output_guardrails")
        } catch WebshopError.ordersUnavailable {
            turn.memory.awaiting = nil
            turn.say(resources.text("order_unavailable", language), quickReplies: [humanButton(language)])
            return NodeStep("unavailable", next: "output_guardrails")
        } catch {
            turn.say(resources.text("order_error", language), quickReplies: [humanButton(language)])
            return NodeStep("error", next: "output_guardrails")
        }
        guard let order else {
            turn.memory.failedVerifications += 1
            let locked = turn.memory.failedVerifications >= maximumAttempts
            turn.memory.awaiting = locked ? nil : .orderVerification
            turn.say(
                resources.text(locked ? "order_too_many" : "order_verification_failed", language, ["order": key]),
                quickReplies: locked ? [humanButton(language)] : nil)
            return NodeStep(locked ? "locked" : "verification_failed", next: "output_guardrails")
        }
        turn.memory.awaiting = nil
        turn.memory.failedVerifications = 0
        turn.memory.verification = verification
        if !turn.memory.verifiedOrders.contains(order.key) { turn.memory.verifiedOrders.append(order.key) }
        turn.disclosedOrder = order.key
        turn.say(details(order, language))
        return NodeStep("status", next: "output_guardrails")
    }

    private func details(_ order: Order, _ language: Language) -> String {
        var values = ["order": order.key, "status": order.status ?? resources.text("order_status_unknown", language)]
        if let date = order.date { values["date"] = Self.day(date) }
        if let total = order.totalGross { values["total"] = ProductCards.forints(total) }
        if let payment = order.payment {
            values["payment_method"] = payment.name ?? ""
            if let status = payment.status {
                let key = "payment_" + status.replacingOccurrences(of: " ", with: "_")
                let text = resources.text(key, language)
                values["payment_status"] = text.isEmpty ? status : text
            }
        }
        if let shipping = order.shipping {
            values["shipping_method"] = shipping.name ?? ""
            if let url = shipping.trackingURL { values["tracking_url"] = url }
            if let number = shipping.packageNumber { values["package_number"] = number }
        }
        values["items"] = order.items.map { "\(Self.quantity($0.quantity)) × \($0.name)" }.joined(separator: ", ")
        return resources.text("order_details", language, values)
    }

    /// What the customer wants changed: `cancel`, `address` or `return`.
    private func changeRequest(_ text: NormalizedText) -> String? {
        if text.contains(anyPrefix: ["lemond", "torol", "cancel", "sztorn"]) { return "cancel" }
        if text.contains(anyPrefix: ["cim", "cimet", "address"]) && text.contains(anyPrefix: ["valtoz", "modosit", "mas", "change", "another", "different"]) {
            return "address"
        }
        if text.contains(anyPrefix: ["visszakuld", "visszavi", "csere", "kicserel", "return", "refund", "exchange", "visszaterit"]) {
            return "return"
        }
        return nil
    }

    private func humanButton(_ language: Language) -> QuickReply {
        QuickReply(title: resources.text("menu_human", language), payload: "HANDOFF")
    }

    static func day(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Budapest") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(parts.year ?? 0). \(String(format: "%02d", parts.month ?? 0)). \(String(format: "%02d", parts.day ?? 0))."
    }

    static func quantity(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}
