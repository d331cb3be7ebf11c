import Channels
import ChatModel
import Foundation
@testable import Gateway
import Storage
import Testing

/// Where a message nobody asked for may go, and when quiet hours hold it: decisions on facts and a clock alone.
@Suite("Proactive routing and quiet hours")
struct ProactiveRoutingTests {
    static let now = Date(timeIntervalSince1970: 1_796_000_000)

    static func participant(_ channel: Channel, _ user: String, lastWrote hoursAgo: Double?, optedOut: Bool = false) -> CustomerReach.Participant {
        CustomerReach.Participant(
            participantID: ParticipantID(rawValue: Int64(abs(user.hashValue % 10_000))), key: ConversationKey(channel: channel, accountID: "A", userID: user),
            displayName: nil, locale: .hu, lastInboundAt: hoursAgo.map { now.addingTimeInterval(-$0 * 3600) }, optedOut: optedOut)
    }

    static func channels(templates: Set<String> = ["abandoned_cart"], widgetSessions: Set<String> = []) -> ProactiveChannels {
        let backoff = Backoff(initial: .seconds(1), maximum: .seconds(1))
        var whatsapp = DeliveryPolicy(serviceWindow: .seconds(24 * 3600), templatesAfterWindow: true, maxAttempts: 3, backoff: backoff)
        whatsapp.reengagement = nil
        var messenger = DeliveryPolicy(serviceWindow: .seconds(24 * 3600), maxAttempts: 3, backoff: backoff)
        messenger.updateTags = [MessengerModule.postPurchaseUpdateTag]
        let renderer = SMSRenderer(settings: SMSSettings())
        return ProactiveChannels(
            renderers: [.whatsapp: renderer, .messenger: renderer, .sms: renderer, .widget: renderer],
            policies: [
                .whatsapp: whatsapp, .messenger: messenger, .sms: DeliveryPolicy(maxAttempts: 3, backoff: backoff),
                .widget: DeliveryPolicy(maxAttempts: 3, backoff: backoff),
            ],
            whatsappTemplates: templates, widgetSessions: { widgetSessions })
    }

    static func reach(_ participants: CustomerReach.Participant...) -> CustomerReach {
        CustomerReach(customerID: CustomerID(rawValue: 1), displayName: "Éva", marketingConsent: true, participants: participants)
    }

    @Test("the most recent channel open to the message; opted-out, offline and closed ones are passed over")
    func route() async throws {
        let channels = Self.channels(widgetSessions: ["s-online"])
        // Inside WhatsApp's window: free form.
        var chosen = try await channels.route(Self.reach(Self.participant(.whatsapp, "36201", lastWrote: 2)), template: "abandoned_cart", updateTag: nil, now: Self.now).get()
        #expect(chosen.form == .freeForm(tag: nil))
        // Outside it: the approved template, when there is one; else the next channel.
        chosen = try await channels.route(Self.reach(Self.participant(.whatsapp, "36201", lastWrote: 30)), template: "abandoned_cart", updateTag: nil, now: Self.now).get()
        #expect(chosen.form == .template("abandoned_cart"))
        let noTemplate = await channels.route(
            Self.reach(Self.participant(.whatsapp, "36201", lastWrote: 30), Self.participant(.sms, "+36201", lastWrote: 40)),
            template: "order_delivered", updateTag: nil, now: Self.now)
        #expect(try noTemplate.get().participant.key.channel == .sms)
        // Messenger outside its window: only an update, with the update tag; marketing cannot go.
        let messenger = Self.reach(Self.participant(.messenger, "PSID", lastWrote: 48))
        #expect(try await channels.route(messenger, template: nil, updateTag: MessengerModule.postPurchaseUpdateTag, now: Self.now).get().form
            == .freeForm(tag: "POST_PURCHASE_UPDATE"))
        #expect(await channels.route(messenger, template: nil, updateTag: nil, now: Self.now) == .failure(.outsideWindow))
        // Opted out, a widget visitor gone, a channel not configured: passed over, with the reason when none is left.
        #expect(await channels.route(Self.reach(Self.participant(.sms, "+36202", lastWrote: 1, optedOut: true)), template: nil, updateTag: nil, now: Self.now)
            == .failure(.optedOut))
        #expect(await channels.route(Self.reach(Self.participant(.widget, "s-gone", lastWrote: 0.1)), template: nil, updateTag: nil, now: Self.now)
            == .failure(.widgetOffline))
        chosen = try await channels.route(
            Self.reach(Self.participant(.widget, "s-gone", lastWrote: 0.1), Self.participant(.widget, "s-online", lastWrote: 1)),
            template: nil, updateTag: nil, now: Self.now
        ).get()
        #expect(chosen.participant.key.userID == "s-online")
        #expect(await channels.route(Self.reach(Self.participant(.email, "a@b.hu", lastWrote: 1)), template: nil, updateTag: nil, now: Self.now)
            == .failure(.channelOff))
    }

    @Test("quiet hours hold a message until they end, across midnight, in the shop's time zone")
    func quietHours() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Budapest"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
            calendar.date(from: DateComponents(year: 2026, month: 12, day: day, hour: hour, minute: minute))!
        }
        let night = try QuietHours("21:00-08:00", timeZone: zone)
        #expect(night.end(ifQuietAt: at(3, 20, 59)) == nil)
        #expect(night.end(ifQuietAt: at(3, 21)) == at(4, 8))
        #expect(night.end(ifQuietAt: at(3, 23, 30)) == at(4, 8))
        #expect(night.end(ifQuietAt: at(4, 2)) == at(4, 8))
        #expect(night.end(ifQuietAt: at(4, 8)) == nil)
        let lunch = try QuietHours("12:00-13:30", timeZone: zone)
        #expect(lunch.end(ifQuietAt: at(3, 12, 10)) == at(3, 13, 30))
        #expect(lunch.end(ifQuietAt: at(3, 14)) == nil)
        #expect(throws: QuietHours.Invalid.self) { try QuietHours("21-8", timeZone: zone) }
        #expect(throws: QuietHours.Invalid.self) { try QuietHours("08:00-08:00", timeZone: zone) }
    }
}
