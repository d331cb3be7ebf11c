import ChatModel

/// Telegram before the agents: a tapped button whose payload was sent as a reference gets its payload
/// back from the channel's state.
public struct TelegramInboundStep: InboundStep {
    public init() {}

    public func prepare(_ event: InboundEvent, state: ChannelState, language: Language) -> InboundDecision {
        guard case .postback(let title, let data, let referral) = event.content, data.hasPrefix(TelegramPayloads.prefix) else {
            return .agent(event)
        }
        var resolved = event
        // A reference the channel no longer keeps (very old buttons) reaches the agents as it is.
        resolved.content = .postback(title: title, payload: state.payload(for: data) ?? data, referral: referral)
        return .agent(resolved)
    }
}
