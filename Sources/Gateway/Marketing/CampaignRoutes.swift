import ChatModel
import Foundation
import Hummingbird
import Storage

/// `/api/v1/admin/campaigns…`: campaigns created with an audience, a message and a time, reported with what became
/// of their customers, and cancelled; bearer `ADMIN_API_KEY` or a console session.
struct CampaignRoutes {
    let auth: AdminAuthMiddleware
    let store: any Store
    let jobs: JobWorker
    let clock: WallClock
    /// The names of the configured WhatsApp templates a campaign may name.
    let whatsappTemplates: Set<String>

    func add(to router: Router<GatewayRequestContext>) {
        let campaigns = router.group("/api/v1/admin/campaigns").add(middleware: auth)
        campaigns.post { request, context in
            let bytes = try await request.body.collect(upTo: 1 << 16)
            let draft = try CampaignRequest.read(Data(bytes.readableBytesView), templates: whatsappTemplates, now: clock.now())
            let actor = (context.actor ?? .apiKey).auditName
            let campaign = try await store.createCampaign(
                name: draft.name, audience: draft.audience, message: draft.message, sendAt: draft.sendAt, createdBy: actor,
                job: { CampaignRunner.job($0, at: draft.sendAt) }, at: clock.now())
            try await store.audit(.campaign, by: actor, conversationID: nil, detail: "campaign \(campaign.id) created: \(campaign.name)", at: clock.now())
            await jobs.wake()
            return try AdminRoutes.json(CampaignReport(campaign, counts: CampaignCounts()), status: .created)
        }
        campaigns.get { request, _ in
            let query = request.uri.queryParameters
            return try AdminRoutes.json(
                try await store.campaigns(before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"])))
        }
        campaigns.get("/{id}") { _, context in
            let id = CampaignID(try context.parameters.require("id", as: Int64.self))
            guard let campaign = try await store.campaign(id) else { throw APIError.notFound("no campaign \(id)") }
            return try AdminRoutes.json(CampaignReport(campaign, counts: try await store.campaignCounts(id)))
        }
        campaigns.post("/{id}/cancel") { _, context in
            let id = CampaignID(try context.parameters.require("id", as: Int64.self))
            guard let withdrawn = try await store.cancelCampaign(id, at: clock.now()), let campaign = try await store.campaign(id) else {
                throw APIError.notFound("no campaign \(id)")
            }
            try await store.audit(
                .campaign, by: (context.actor ?? .apiKey).auditName, conversationID: nil,
                detail: "campaign \(id) cancelled: \(withdrawn) messages withdrawn", at: clock.now())
            return try AdminRoutes.json(CampaignReport(campaign, counts: try await store.campaignCounts(id)))
        }
    }
}

/// A campaign as the admin API shows it: what it is, where it stands, and its counts.
struct CampaignReport: Encodable {
    var id: CampaignID
    var name: String
    var state: CampaignState
    var sendAt: Date
    var audience: CampaignAudience
    var message: CampaignMessage
    var createdBy: String
    var createdAt: Date
    var counts: CampaignCounts

    init(_ campaign: CampaignRecord, counts: CampaignCounts) {
        id = campaign.id
        name = campaign.name
        state = campaign.state
        sendAt = campaign.sendAt
        audience = campaign.audience
        message = campaign.message
        createdBy = campaign.createdBy
        createdAt = campaign.createdAt
        self.counts = counts
    }

    enum CodingKeys: String, CodingKey {
        case id, name, state, audience, message, counts
        case sendAt = "send_at"
        case createdBy = "created_by"
        case createdAt = "created_at"
    }
}
