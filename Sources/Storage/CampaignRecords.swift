import ChatModel
import Foundation

/// Who a campaign is for: customers with a participant on one of `channels`, writing in `language`, last active
/// in the range, who put a product of `category` in a cart; those who gave no `consent` are counted as skipped.
public struct CampaignAudience: Codable, Sendable, Hashable {
    public var channels: [String]?
    /// The consent the message needs (`newsletter` by default).
    public var consent: ConsentTopic
    public var language: String?
    public var activeAfter: Date?
    public var activeBefore: Date?
    /// Part of a product category's path (`Konyhai kisgépek`), matched without regard to case.
    public var category: String?

    public init(
        channels: [String]? = nil, consent: ConsentTopic = .newsletter, language: String? = nil, activeAfter: Date? = nil,
        activeBefore: Date? = nil, category: String? = nil
    ) {
        self.channels = channels
        self.consent = consent
        self.language = language
        self.activeAfter = activeAfter
        self.activeBefore = activeBefore
        self.category = category
    }

    enum CodingKeys: String, CodingKey {
        case channels, consent, language, category
        case activeAfter = "active_after"
        case activeBefore = "active_before"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        channels = try container.decodeIfPresent([String].self, forKey: .channels)
        consent = try container.decodeIfPresent(ConsentTopic.self, forKey: .consent) ?? .newsletter
        language = try container.decodeIfPresent(String.self, forKey: .language)
        activeAfter = try container.decodeIfPresent(Date.self, forKey: .activeAfter)
        activeBefore = try container.decodeIfPresent(Date.self, forKey: .activeBefore)
        category = try container.decodeIfPresent(String.self, forKey: .category)
    }
}

/// What a campaign says: a reply per language, or an approved template (WhatsApp, outside the window) with its
/// parameters per language, and a link followed through a short link of each recipient's own.
public struct CampaignMessage: Codable, Sendable, Hashable {
    /// An approved template and its parameters by language.
    public struct Template: Codable, Sendable, Hashable {
        public var name: String
        public var parameters: [String: [String]]

        public init(name: String, parameters: [String: [String]] = [:]) {
            self.name = name
            self.parameters = parameters
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            name = try container.decode(String.self, forKey: .name)
            parameters = try container.decodeIfPresent([String: [String]].self, forKey: .parameters) ?? [:]
        }

        enum CodingKeys: String, CodingKey {
            case name, parameters
        }
    }

    /// The reply by language code (`hu`, `en`).
    public var replies: [String: Reply]
    public var template: Template?
    public var link: String?

    public init(replies: [String: Reply], template: Template? = nil, link: String? = nil) {
        self.replies = replies
        self.template = template
        self.link = link
    }

    enum CodingKeys: String, CodingKey {
        case replies = "reply"
        case template, link
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        replies = try container.decodeIfPresent([String: Reply].self, forKey: .replies) ?? [:]
        template = try container.decodeIfPresent(Template.self, forKey: .template)
        link = try container.decodeIfPresent(String.self, forKey: .link)
    }
}

/// Where a campaign stands.
public enum CampaignState: String, Codable, Sendable, Hashable, CaseIterable {
    case scheduled, sending, done, cancelled
}

/// A stored campaign.
public struct CampaignRecord: Codable, Sendable, Hashable {
    public var id: CampaignID
    public var name: String
    public var audience: CampaignAudience
    public var message: CampaignMessage
    public var sendAt: Date
    public var state: CampaignState
    /// The last customer id the sending went through (customers are taken in id order).
    public var cursor: Int64
    public var createdBy: String
    public var createdAt: Date
    public var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id, name, audience, message, state, cursor
        case sendAt = "send_at"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

/// What became of a campaign's customers.
public struct CampaignCounts: Codable, Sendable, Hashable {
    /// Customers decided: sent or skipped.
    public var targeted = 0
    /// Skipped customers by reason (`no_consent`, `frequency_cap`, `opted_out`, `outside_window`, …).
    public var skipped: [String: Int] = [:]
    /// Messages stored to send, not sent yet.
    public var queued = 0
    /// Accepted by the platform (delivered and read ones included).
    public var sent = 0
    public var delivered = 0
    public var read = 0
    /// Refused, dead-lettered or withdrawn (a cancelled campaign's queued ones).
    public var failed = 0
    /// Recipients who followed their link.
    public var clicked = 0
    /// Recipients who withdrew their consent or opted out after it was sent.
    public var unsubscribed = 0

    public init() {}
}

/// A campaign's id.
public typealias CampaignID = RowID<Tables.Campaigns>

extension Tables {
    public enum Campaigns {}
}
