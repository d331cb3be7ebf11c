import ChatModel

/// SMS before the agents: a message that is only a compliance keyword (STOP, START, HELP) is handled by
/// the channel whoever has the conversation; a bare number picks an option of the numbered list shown last.
public struct SMSInboundStep: InboundStep {
    public let keywords: SMSKeywords

    public init(keywords: SMSKeywords) {
        self.keywords = keywords
    }

    public func prepare(_ event: InboundEvent, state: ChannelState, language: Language) -> InboundDecision {
        if case .text(let text) = event.content, let command = keywords.command(in: text) {
            switch command {
            case .optOut:
                return .optOut
            case .optIn, .help:
                if let answer = keywords.replies[command]?[language] { return .reply(answer, optIn: command == .optIn) }
                if command == .optIn { return .reply("", optIn: true) }
            }
        }
        return .agent(NumberedChoiceStep.resolve(event, state: state))
    }
}
