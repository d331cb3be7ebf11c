import ChatModel
import Foundation

/// Promotions and coupons from the shop's offers file, newsletter and SMS subscriptions recorded as the
/// participant's consent, and the loyalty programme.
struct MarketingNode: AgentNode {
    let name = AgentType.marketing.rawValue
    let resources: AgentResources

    func run(_ turn: inout Turn) async throws -> NodeStep {
        turn.answeredBy = .marketing
        turn.memory.awaiting = nil
        let language = turn.language
        let words = turn.normalized
        if let change = consentChange(turn) {
            turn.actions.append(.consent(change.topic, granted: change.granted))
            turn.say(resources.text("\(change.granted ? "subscribed" : "unsubscribed")_\(change.topic.rawValue)", language))
            return NodeStep("\(change.granted ? "subscribe" : "unsubscribe"):\(change.topic.rawValue)", next: "output_guardrails")
        }
        if let code = turn.slots.couponCode ?? couponWord(turn) {
            return coupon(code, &turn)
        }
        if words.contains(anyPrefix: ["huseg", "pont", "torzsvasarl", "loyalty", "points", "reward"]), let loyalty = resources.offers.loyalty[language] {
            turn.say(loyalty)
            return NodeStep("loyalty", next: "output_guardrails")
        }
        let running = resources.offers.promotions.filter { $0.isRunning(at: turn.now) }.compactMap { $0.text[language] }
        var quickReplies: [QuickReply]?
        // Offer the newsletter only to those who have not said no to it.
        if turn.conversation.consents[.newsletter] == nil {
            quickReplies = [QuickReply(title: resources.text("button_subscribe", language), payload: "SUBSCRIBE:newsletter")]
        }
        if running.isEmpty {
            turn.say(resources.text("promotions_none", language), quickReplies: quickReplies)
            return NodeStep("promotions:none", next: "output_guardrails")
        }
        let list = running.map { "• \($0)" }.joined(separator: "\n")
        turn.say(resources.text("promotions_list", language, ["promotions": list]), quickReplies: quickReplies)
        return NodeStep("promotions:\(running.count)", next: "output_guardrails")
    }

    private func coupon(_ code: String, _ turn: inout Turn) -> NodeStep {
        let language = turn.language
        guard let coupon = resources.offers.coupon(code) else {
            turn.say(resources.text("coupon_invalid", language, ["code": code.uppercased()]))
            return NodeStep("coupon:invalid", next: "output_guardrails")
        }
        if let until = coupon.until, until <= turn.now {
            turn.say(resources.text("coupon_expired", language, ["code": coupon.code]))
            return NodeStep("coupon:expired", next: "output_guardrails")
        }
        if let from = coupon.from, turn.now < from {
            turn.say(resources.text("coupon_not_yet", language, ["code": coupon.code, "from": OrderStatusNode.day(from)]))
            return NodeStep("coupon:not_yet", next: "output_guardrails")
        }
        var values = ["code": coupon.code]
        if let percent = coupon.percent { values["discount"] = "\(Int(percent))%" }
        if let amount = coupon.amount { values["discount"] = ProductCards.forints(amount) }
        if let minimum = coupon.minimumOrder { values["minimum"] = ProductCards.forints(minimum) }
        if let until = coupon.until { values["until"] = OrderStatusNode.day(until.addingTimeInterval(-1)) }
        turn.say(resources.text("coupon_valid", language, values))
        return NodeStep("coupon:valid", next: "output_guardrails")
    }

    /// A code written in lower case after the word coupon ("a nyar20 kupon").
    private func couponWord(_ turn: Turn) -> String? {
        let words = turn.normalized.words
        guard words.contains(where: { $0.hasPrefix("kupon") || $0.hasPrefix("coupon") || $0 == "code" || $0.hasPrefix("kod") }) else { return nil }
        return words.first { word in word.count >= 4 && word.contains(where: \.isNumber) && word.contains(where: \.isLetter) }
    }

    /// A subscribe or unsubscribe request, and for which topic.
    private func consentChange(_ turn: Turn) -> (topic: ConsentTopic, granted: Bool)? {
        if let payload = turn.payload {
            let parts = payload.split(separator: ":")
            if parts.count == 2, let topic = ConsentTopic(rawValue: String(parts[1])) {
                if parts[0] == "SUBSCRIBE" { return (topic, true) }
                if parts[0] == "UNSUBSCRIBE" { return (topic, false) }
            }
        }
        let words = turn.normalized
        let sms = words.contains(anyPrefix: ["sms", "szoveges", "text"]) || turn.conversation.key.channel == .sms
        let topic: ConsentTopic = sms ? .sms : .newsletter
        let stop = words.contains(anyPrefix: ["leiratkoz", "unsubscrib", "stop"]) || words.contains(phrase: "ne kuldjetek")
            || (words.words.contains("le") && words.contains(anyPrefix: ["iratkoz"]))
            || words.contains(phrase: "nem kerek") || words.contains(phrase: "no more") || words.contains(phrase: "nem szeretnek")
        if stop { return (topic, false) }
        let start = words.contains(anyPrefix: ["feliratkoz", "subscrib", "iratkozz"]) || words.contains(phrase: "sign me up")
            || words.contains(phrase: "kerem a hirlevelet") || (words.contains(anyPrefix: ["kerek", "want", "szeretnek"]) && words.contains(anyPrefix: ["ertesit", "sms", "offers", "hirlevel"]))
        return start ? (topic, true) : nil
    }
}
