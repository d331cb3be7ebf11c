import ChatModel

extension Card {
    /// What choosing the card sends back where only the whole card can be chosen (a list row, a numbered
    /// line): its first postback button's payload, or `DETAILS:sku`.
    var choicePayload: String {
        for case .postback(_, let payload) in buttons { return payload }
        return "DETAILS:\(sku ?? title)"
    }
}

extension String {
    /// This link as the platform must get it: relative links (`/products/x.svg`) prefixed with `base`.
    func absolute(against base: String) -> String {
        hasPrefix("http://") || hasPrefix("https://") ? self : base.trimmingSuffix("/") + self
    }
}
