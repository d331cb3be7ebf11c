import Channels
import ChatModel
import Foundation
import Storage

/// Where a message nobody asked for may go: the customer's most recently active channel that is configured,
/// not opted out, and open to it now (inside the platform's window, or in a form the window allows).
struct ProactiveChannels: Sendable {
    /// How a message goes on the chosen channel.
    enum Form: Sendable, Hashable {
        /// A free-form message, with the platform's message tag when it needs one (Messenger's update tag).
        case freeForm(tag: String?)
        /// The approved template of this name (WhatsApp, outside the 24-hour window).
        case template(String)
    }

    /// A channel chosen and the form of the message on it.
    struct Route: Sendable, Hashable {
        var participant: CustomerReach.Participant
        var form: Form
    }

    let renderers: [Channel: any ReplyRenderer]
    let policies: [Channel: DeliveryPolicy]
    /// The names of the WhatsApp templates configured (`templates/whatsapp/*.yml`).
    let whatsappTemplates: Set<String>
    /// The widget sessions with a socket now (on this gateway): a widget customer is reached only while there.
    let widgetSessions: @Sendable () async -> Set<String>

    /// The route for the customer: `template` is the WhatsApp template for outside the window, `updateTag`
    /// Messenger's tag for it (transactional updates only). Otherwise the reason no channel can take it.
    func route(_ reach: CustomerReach, template: String?, updateTag: String?, now: Date) async -> Result<Route, ProactiveSkip> {
        var reasons: [ProactiveSkip] = []
        var widgetSessions: Set<String>?
        for participant in reach.participants {
            let channel = participant.key.channel
            guard renderers[channel] != nil, let policy = policies[channel] else {
                reasons.append(.channelOff)
                continue
            }
            if participant.optedOut {
                reasons.append(.optedOut)
                continue
            }
            if channel == .widget {
                if widgetSessions == nil { widgetSessions = await self.widgetSessions() }
                guard widgetSessions?.contains(participant.key.userID) == true else {
                    reasons.append(.widgetOffline)
                    continue
                }
            }
            let windowClosed = policy.windowClosed(DeliveryFacts(recipient: participant.key.userID, lastInboundAt: participant.lastInboundAt), now: now)
            guard windowClosed else { return .success(Route(participant: participant, form: .freeForm(tag: nil))) }
            if policy.templatesAfterWindow, let template, whatsappTemplates.contains(template) {
                return .success(Route(participant: participant, form: .template(template)))
            }
            if let updateTag, policy.updateTags.contains(updateTag) {
                return .success(Route(participant: participant, form: .freeForm(tag: updateTag)))
            }
            reasons.append(.outsideWindow)
        }
        return .failure(reasons.contains(.outsideWindow) ? .outsideWindow : reasons.first ?? .noChannel)
    }
}

/// Why a message nobody asked for was not sent to a customer.
enum ProactiveSkip: String, Error, Sendable, Hashable, CaseIterable {
    case noCustomer = "no_customer"
    case noChannel = "no_channel"
    case channelOff = "channel_off"
    case optedOut = "opted_out"
    case widgetOffline = "widget_offline"
    case outsideWindow = "outside_window"
    case noConsent = "no_consent"
    case frequencyCap = "frequency_cap"
    case ordered
    case emptyCart = "empty_cart"
    case wrongLanguage = "language"
}
