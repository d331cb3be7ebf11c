import Channels
import Foundation
import Hummingbird
import Storage

/// `/api/v1/admin/customers…`: the people behind the conversations, found by search, linked and unlinked
/// by operators, exported whole (GDPR access) and erased (by admins); bearer `ADMIN_API_KEY` or a console session.
struct CustomerRoutes {
    let auth: AdminAuthMiddleware
    let store: any Store

    func add(to router: Router<GatewayRequestContext>) {
        let customers = router.group("/api/v1/admin/customers").add(middleware: auth)
        customers.get { request, _ in
            let query = request.uri.queryParameters
            let text = query["q"].map(String.init)
            return try AdminRoutes.json(try await store.customers(
                matching: text, before: try AdminParameters.cursor(query["cursor"]), limit: try AdminParameters.limit(query["limit"])))
        }
        customers.get("/{id}") { _, context in
            let id = try Self.customerID(context)
            guard let customer = try await store.customer(id) else { throw APIError.notFound("no customer \(id)") }
            return try AdminRoutes.json(customer)
        }
        customers.get("/{id}/export") { _, context in
            let id = try Self.customerID(context)
            guard let export = try await store.exportCustomer(id, at: Date()) else { throw APIError.notFound("no customer \(id)") }
            try await store.audit(.export, by: (context.actor ?? .apiKey).auditName, conversationID: nil, detail: "customer \(id)", at: Date())
            return try AdminRoutes.json(export)
        }
        customers.delete("/{id}") { _, context in
            let actor = context.actor ?? .apiKey
            guard actor.isAdmin else { throw APIError(.forbidden, "admin_only", "erasing a customer is for admins") }
            let id = try Self.customerID(context)
            guard let erased = try await store.eraseCustomer(id, shortLinkPath: SMSSettings.linkPath, at: Date()) else {
                throw APIError.notFound("no customer \(id)")
            }
            let detail = "customer \(id): \(erased.conversations) conversations, \(erased.messages) messages, \(erased.shortLinks) short links"
            try await store.audit(.erase, by: actor.auditName, conversationID: nil, detail: detail, at: Date())
            return try AdminRoutes.json(erased)
        }
        customers.post("/{id}/link") { request, context in
            let id = try Self.customerID(context)
            let other = CustomerID(try await AdminParameters.integer("customer_id", of: request))
            guard try await store.linkCustomers(id, absorbing: other, at: Date()) else {
                throw APIError.notFound("customers \(id) and \(other) must both exist and differ")
            }
            try await store.audit(.link, by: (context.actor ?? .apiKey).auditName, conversationID: nil, detail: "customer \(other) into \(id)", at: Date())
            guard let customer = try await store.customer(id) else { throw APIError.notFound("no customer \(id)") }
            return try AdminRoutes.json(customer)
        }
        customers.post("/{id}/unlink") { request, context in
            let id = try Self.customerID(context)
            let participant = ParticipantID(try await AdminParameters.integer("participant_id", of: request))
            guard let split = try await store.unlinkParticipant(participant, from: id, at: Date()) else {
                throw APIError.notFound("customer \(id) has no other identity than participant \(participant), or not that one")
            }
            try await store.audit(
                .unlink, by: (context.actor ?? .apiKey).auditName, conversationID: nil, detail: "participant \(participant) of \(id) to \(split)", at: Date())
            guard let customer = try await store.customer(split) else { throw APIError.notFound("no customer \(split)") }
            return try AdminRoutes.json(customer)
        }
    }

    /// The customer of a `/customers/{id}…` route.
    static func customerID(_ context: GatewayRequestContext) throws -> CustomerID {
        CustomerID(try context.parameters.require("id", as: Int64.self))
    }
}
