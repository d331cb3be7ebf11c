import Channels
import ChatModel
import Foundation
import Logging
import Storage
import Webshop

/// Sends a campaign from its job (docs/architecture.md §3.5): a batch of customers at a time, in id order, each
/// decided once (sent on their channel, or skipped with the reason), paced so that platforms and the outbox
/// keep up, outside quiet hours; a restart goes on from the last batch, and nobody is sent it twice.
struct CampaignRunner: JobHandler {
    static let kind = "campaign"

    /// What a campaign's job keeps.
    struct Payload: Codable {
        var campaign: Int64
    }

    let store: any Store
    let proactive: ProactiveMessenger
    let shop: any Webshop
    let settings: GatewayConfig.Marketing
    /// The server's external address, for each recipient's short link.
    let publicBaseURL: String
    let logger: Logger

    var kinds: [String] { [Self.kind] }

    /// The job that sends campaign `id` at `sendAt`.
    static func job(_ id: CampaignID, at sendAt: Date) -> JobDraft {
        let payload = (try? JSONEncoder().encode(Payload(campaign: id.rawValue))).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return JobDraft(kind: kind, payload: payload, runAt: sendAt)
    }

    func run(_ job: JobRecord, now: Date) async -> JobResult {
        guard let payload = try? JSONDecoder().decode(Payload.self, from: Data(job.payload.utf8)) else { return .failed("unreadable payload") }
        do {
            guard let campaign = try await store.campaign(CampaignID(rawValue: payload.campaign)) else { return .done }
            switch campaign.state {
            case .done, .cancelled: return .done
            case .scheduled, .sending: break
            }
            if now < campaign.sendAt { return .later(campaign.sendAt) }
            if let end = settings.quietHours?.end(ifQuietAt: now) { return .later(end) }
            let batch = try await store.campaignAudience(campaign.audience, after: campaign.cursor, limit: settings.campaignBatchSize)
            guard let last = batch.last else {
                try await store.advanceCampaign(campaign.id, cursor: campaign.cursor, state: .done, at: now)
                logger.info("campaign sent", metadata: ["campaign": "\(campaign.id)"])
                return .done
            }
            for customer in batch {
                // Cancelled meanwhile (by an operator, on any gateway): the rest is not sent.
                if try await store.campaign(campaign.id)?.state == .cancelled { return .done }
                try await decide(campaign, customer: customer, now: now)
            }
            try await store.advanceCampaign(campaign.id, cursor: last.rawValue, state: .sending, at: now)
            return .later(now.addingTimeInterval(settings.campaignBatchInterval / .seconds(1)))
        } catch {
            return .retry("\(error)")
        }
    }

    /// Decides one customer: outside the audience (a category they never put in a cart: no record), skipped with
    /// the reason, or sent.
    private func decide(_ campaign: CampaignRecord, customer: CustomerID, now: Date) async throws {
        let reference = "\(campaign.id.rawValue):customer:\(customer.rawValue)"
        let purpose = ProactiveMessenger.campaignPurpose
        if let category = campaign.audience.category, !(try await hadCategory(customer, category)) { return }
        guard var reach = try await store.customerReach(customer) else { return }
        if let channels = campaign.audience.channels {
            reach.participants = reach.participants.filter { channels.contains($0.key.channel.rawValue) }
        }
        guard reach.consents[campaign.audience.consent] == true else {
            try await proactive.skip(.noConsent, purpose: purpose, reference: reference, customer: customer, campaign: campaign.id, now: now)
            return
        }
        switch await proactive.channels.route(reach, template: campaign.message.template?.name, updateTag: nil, now: now) {
        case .failure(let reason):
            try await proactive.skip(reason, purpose: purpose, reference: reference, customer: customer, campaign: campaign.id, now: now)
        case .success(let route):
            let language = route.participant.locale ?? .hu
            var links: [String: String] = [:]
            var code: String?
            let replies: [Reply]
            if case .template(let name) = route.form {
                let parameters = campaign.message.template?.parameters
                replies = [Reply(template: TemplateReference(name: name, language: language.rawValue, parameters: parameters?[language.rawValue] ?? parameters?["hu"] ?? []))]
            } else {
                var reply = campaign.message.replies[language.rawValue] ?? campaign.message.replies["hu"] ?? campaign.message.replies.values.first ?? Reply()
                if let link = campaign.message.link {
                    // The recipient's own short link: its clicks are theirs.
                    let own = Self.newCode()
                    links[own] = link
                    code = own
                    reply.text = [reply.text, "\(publicBaseURL)\(SMSSettings.linkPath)/\(own)"].compactMap { $0 }.joined(separator: "\n")
                }
                replies = [reply]
            }
            let decision = ProactiveDecision(purpose: purpose, reference: reference, customerID: customer, campaignID: campaign.id, outcome: "sent", linkCode: code)
            try await proactive.send(replies, agent: .marketing, route: route, marketing: true, decision: decision, now: now, links: links)
        }
    }

    /// Whether the customer put a product of the category (part of its path, any case) in a cart.
    private func hadCategory(_ customer: CustomerID, _ category: String) async throws -> Bool {
        let wanted = category.lowercased()
        for event in try await store.shopEvents(customerID: customer) where event.type == ShopEvent.Kind.cartUpdated.rawValue {
            guard let cart = try? ShopEvent(Array(event.body.utf8)) else { continue }
            for item in cart.items {
                if let product = try? await shop.product(sku: item.sku), product.category?.lowercased().contains(wanted) == true { return true }
            }
        }
        return false
    }

    /// A short link code: 10 letters and digits.
    static func newCode() -> String {
        let alphabet = Array("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789")
        return String((0..<10).map { _ in alphabet.randomElement()! })
    }
}
