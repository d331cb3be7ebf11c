import ChatModel

/// What a channel does with an inbound event before the agents see it: compliance keywords, a number
/// that picks a listed option, a button reference to resolve. It reads only the event and the state the
/// channel kept, never the agents' memory.
public protocol InboundStep: Sendable {
    func prepare(_ event: InboundEvent, state: ChannelState, language: Language) -> InboundDecision
}

/// What becomes of an inbound event before the agents.
public enum InboundDecision: Sendable, Hashable {
    /// Hand the event, perhaps rewritten, to the agents (when the bot has the conversation).
    case agent(InboundEvent)
    /// The customer opted out of the channel: record it, answer nothing.
    case optOut
    /// The channel answers by itself, whoever has the conversation; `optIn` records a return from an opt-out.
    case reply(String, optIn: Bool)
}

/// The step of channels that show options as a numbered list (e-mail): "2" picks the second option.
public struct NumberedChoiceStep: InboundStep {
    public init() {}

    public func prepare(_ event: InboundEvent, state: ChannelState, language: Language) -> InboundDecision {
        .agent(Self.resolve(event, state: state))
    }

    /// `event` with a bare number (or an option's own words) replaced by the option it picks.
    public static func resolve(_ event: InboundEvent, state: ChannelState) -> InboundEvent {
        guard case .text(let text) = event.content, let choice = NumberedChoices.match(text, in: state.choices) else { return event }
        var picked = event
        picked.content = .quickReply(title: choice.title, payload: choice.payload)
        return picked
    }
}

extension ChannelState {
    /// The state after `rendering` was sent: its numbered options (when it numbered any) and the payloads it
    /// sent by reference, the newest `payloadLimit` of them kept.
    public func remembering(_ rendering: Rendering, payloadLimit: Int = 64) -> ChannelState {
        var state = self
        if let choices = rendering.choices { state.choices = choices }
        for (reference, payload) in rendering.payloads.sorted(by: { $0.key < $1.key }) {
            state.payloads.removeAll { $0.reference == reference }
            state.payloads.append(PayloadReference(reference: reference, payload: payload))
        }
        state.payloads.removeFirst(max(0, state.payloads.count - payloadLimit))
        return state
    }
}
