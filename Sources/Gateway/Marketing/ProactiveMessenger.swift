import Channels
import ChatModel
import Foundation
import Logging
import Storage

/// The messages the shop's events lead to (docs/architecture.md §3.4): one reminder of a cart left without an
/// order, and each order's change of status. Each is a job stored with its event; each decision (sent on a
/// channel, or skipped with the reason) is stored once, with the messages, so a job run twice sends nothing twice.
struct ProactiveMessenger: JobHandler {
    static let cartKind = "abandoned_cart"
    static let orderKind = "order_update"
    /// The purposes that are marketing: they need consent, and count against the weekly cap.
    static let marketingPurposes = [cartKind, campaignPurpose]
    static let campaignPurpose = "campaign"
    /// The WhatsApp templates used outside the 24-hour window.
    static let cartTemplate = "abandoned_cart"
    static let shippedTemplate = "order_shipped"

    /// What a job keeps: the shop event it acts on.
    struct Payload: Codable {
        var event: String
    }

    let store: any Store
    let settings: GatewayConfig.Marketing
    let channels: ProactiveChannels
    let composer: ProactiveComposer
    /// Tells the outbox new rows are stored.
    let wake: @Sendable () async -> Void
    let logger: Logger

    var kinds: [String] { [Self.cartKind, Self.orderKind] }

    /// The jobs an event asks for: a cart's reminder when its wait is over, an order's update at once.
    func jobs(for event: ShopEvent, receivedAt: Date) -> [JobDraft] {
        guard let payload = try? JSONEncoder().encode(Payload(event: event.id)) else { return [] }
        let text = String(decoding: payload, as: UTF8.self)
        switch event.kind {
        case .cartUpdated:
            guard let after = settings.abandonedCartAfter, !event.items.isEmpty else { return [] }
            return [JobDraft(kind: Self.cartKind, payload: text, runAt: receivedAt.addingTimeInterval(after / .seconds(1)))]
        case .orderStatusChanged:
            return [JobDraft(kind: Self.orderKind, payload: text, runAt: receivedAt)]
        case .orderPlaced:
            return []
        }
    }

    func run(_ job: JobRecord, now: Date) async -> JobResult {
        do {
            guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else { return .failed("unreadable payload") }
            // An event erased with its customer leaves nothing to do.
            guard let stored = try await store.shopEvent(id: payload.event) else { return .done }
            let event = try ShopEvent(Array(stored.body.utf8))
            switch job.kind {
            case Self.cartKind: return try await remind(event, stored: stored, now: now)
            default: return try await update(event, stored: stored, now: now)
            }
        } catch let error as APIError {
            return .failed("the stored event is not valid: \(error.message)")
        } catch {
            return .retry("\(error)")
        }
    }

    /// One reminder per cart, when no newer change and no order came, to a customer who agreed to marketing.
    private func remind(_ cart: ShopEvent, stored: StoredShopEvent, now: Date) async throws -> JobResult {
        guard let cartID = cart.cartID else { return .done }
        // A newer change of the cart has its own reminder, due later.
        guard try await store.latestShopEvent(type: ShopEvent.Kind.cartUpdated.rawValue, cartID: cartID)?.id == stored.id else { return .done }
        let reference = "cart:\(cartID)"
        guard try await store.latestShopEvent(type: ShopEvent.Kind.orderPlaced.rawValue, cartID: cartID) == nil else {
            return try await skip(.ordered, purpose: Self.cartKind, reference: reference, customer: stored.customerID, now: now)
        }
        if let end = settings.quietHours?.end(ifQuietAt: now) { return .later(end) }
        guard let customerID = stored.customerID, let reach = try await store.customerReach(customerID) else {
            return try await skip(.noCustomer, purpose: Self.cartKind, reference: reference, customer: nil, now: now)
        }
        guard reach.marketingConsent else { return try await skip(.noConsent, purpose: Self.cartKind, reference: reference, customer: customerID, now: now) }
        switch await channels.route(reach, template: Self.cartTemplate, updateTag: nil, now: now) {
        case .failure(let reason):
            return try await skip(reason, purpose: Self.cartKind, reference: reference, customer: customerID, now: now)
        case .success(let route):
            let language = route.participant.locale ?? .hu
            let replies = await composer.cartReminder(cart, name: reach.displayName, language: language, form: route.form, now: now)
            try await send(
                replies, agent: .marketing, route: route, marketing: true,
                decision: ProactiveDecision(purpose: Self.cartKind, reference: reference, customerID: customerID, outcome: "sent"), now: now)
            return .done
        }
    }

    /// An order's new status, on the customer's channel: no consent needed, opt-outs respected.
    private func update(_ event: ShopEvent, stored: StoredShopEvent, now: Date) async throws -> JobResult {
        guard let orderID = event.orderID, let status = event.status else { return .done }
        let reference = "order:\(orderID):\(status)"
        guard let customerID = stored.customerID, let reach = try await store.customerReach(customerID) else {
            return try await skip(.noCustomer, purpose: Self.orderKind, reference: reference, customer: nil, now: now)
        }
        let template = status == "shipped" ? Self.shippedTemplate : nil
        switch await channels.route(reach, template: template, updateTag: MessengerModule.postPurchaseUpdateTag, now: now) {
        case .failure(let reason):
            return try await skip(reason, purpose: Self.orderKind, reference: reference, customer: customerID, now: now)
        case .success(let route):
            var items: [ShopEvent.Item] = []
            if let placed = try await store.latestShopEvent(type: ShopEvent.Kind.orderPlaced.rawValue, orderID: orderID),
                let cartID = placed.cartID,
                let cart = try await store.latestShopEvent(type: ShopEvent.Kind.cartUpdated.rawValue, cartID: cartID)
            {
                items = (try? ShopEvent(Array(cart.body.utf8)))?.items ?? []
            }
            let language = route.participant.locale ?? .hu
            let replies = await composer.orderUpdate(event, items: items, name: reach.displayName, language: language, form: route.form, now: now)
            try await send(
                replies, agent: .orderStatus, route: route, marketing: false,
                decision: ProactiveDecision(purpose: Self.orderKind, reference: reference, customerID: customerID, outcome: "sent"), now: now)
            return .done
        }
    }

    /// The weekly cap on marketing, as of `now`.
    func cap(at now: Date) -> ProactiveCap {
        ProactiveCap(purposes: Self.marketingPurposes, since: now.addingTimeInterval(-7 * 86_400), maximum: settings.maxPerWeek)
    }

    /// Renders the replies for the route's channel and stores them with the decision (marketing within the cap).
    @discardableResult
    func send(
        _ replies: [Reply], agent: AgentType, route: ProactiveChannels.Route, marketing: Bool, decision: ProactiveDecision, now: Date,
        links: [String: String] = [:]
    ) async throws -> ProactiveRecording? {
        guard let renderer = channels.renderers[route.participant.key.channel] else { return nil }
        var context = ReplyContext(
            conversation: route.participant.key, inReplyTo: "", language: route.participant.locale ?? .hu, processingTime: .zero,
            recipientName: route.participant.displayName, consentTopic: marketing ? .newsletter : nil)
        if case .freeForm(let tag?) = route.form { context.messageTag = tag }
        let rendering = renderer.render(AgentResponse(replies: replies, agent: agent, confidence: 1), context: context)
        let drafts = rendering.messages.enumerated().map { index, message in
            OutboundDraft(
                kind: message.kind, text: message.text, payload: message.payload,
                idempotencyKey: "proactive:\(decision.purpose):\(decision.reference):\(index)")
        }
        guard !drafts.isEmpty else {
            logger.warning("nothing to send", metadata: ["purpose": "\(decision.purpose)", "channel": "\(route.participant.key.channel.rawValue)"])
            return nil
        }
        let allLinks = rendering.links.merging(links) { first, _ in first }
        if !allLinks.isEmpty { try await store.recordLinks(allLinks, at: now) }
        let metadata: Logger.Metadata = ["purpose": "\(decision.purpose)", "reference": "\(decision.reference)", "channel": "\(route.participant.key.channel.rawValue)"]
        let recording = try await store.recordProactive(decision, drafts: drafts, to: route.participant, cap: marketing ? cap(at: now) : nil, at: now)
        switch recording {
        case .recorded:
            logger.debug("proactive message stored", metadata: metadata)
            await wake()
        case .overCap:
            logger.debug("proactive message skipped: the customer reached marketing.max_per_week", metadata: metadata)
        case .decidedBefore:
            break
        }
        return recording
    }

    /// Records the decision not to send (a later event about the same cart or order changes nothing); a
    /// customer not known yet is not a decision, so a later change of the cart may still be reminded of.
    @discardableResult
    func skip(
        _ reason: ProactiveSkip, purpose: String, reference: String, customer: CustomerID?, campaign: CampaignID? = nil, now: Date
    ) async throws -> JobResult {
        guard reason != .noCustomer else {
            logger.info("proactive message not sent: the customer is not known", metadata: ["purpose": "\(purpose)", "reference": "\(reference)"])
            return .done
        }
        let decision = ProactiveDecision(
            purpose: purpose, reference: reference, customerID: customer, campaignID: campaign, outcome: "skipped:\(reason.rawValue)")
        if try await store.recordProactive(decision, drafts: [], to: nil, cap: nil, at: now) == .recorded {
            logger.debug("proactive message skipped", metadata: ["purpose": "\(purpose)", "reference": "\(reference)", "reason": "\(reason.rawValue)"])
        }
        return .done
    }
}
