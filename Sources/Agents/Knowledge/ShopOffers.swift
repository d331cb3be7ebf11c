import ChatModel
import Foundation
import Webshop
import Yams

/// The shop's current offers and pairings (`templates/shop.yml`): promotions, coupons, the loyalty
/// programme, and which products go together.
public struct ShopOffers: Sendable {
    /// A promotion shown while it runs.
    public struct Promotion: Sendable, Hashable {
        public var text: [Language: String]
        public var from: Date?
        public var until: Date?

        /// Whether the promotion runs at `date`.
        public func isRunning(at date: Date) -> Bool {
            (from.map { $0 <= date } ?? true) && (until.map { date < $0 } ?? true)
        }
    }

    /// A coupon code customers may ask about.
    public struct Coupon: Sendable, Hashable {
        public var code: String
        public var percent: Double?
        public var amount: Double?
        public var minimumOrder: Double?
        public var from: Date?
        public var until: Date?

        /// Whether the coupon may be used at `date`.
        public func isValid(at date: Date) -> Bool {
            (from.map { $0 <= date } ?? true) && (until.map { date < $0 } ?? true)
        }
    }

    public var promotions: [Promotion]
    public var coupons: [Coupon]
    /// The loyalty programme explained, by language.
    public var loyalty: [Language: String]
    /// A category's last level (folded) to the words that find what goes with it.
    public var together: [String: [String]]

    public init(promotions: [Promotion] = [], coupons: [Coupon] = [], loyalty: [Language: String] = [:], together: [String: [String]] = [:]) {
        self.promotions = promotions
        self.coupons = coupons
        self.loyalty = loyalty
        self.together = together
    }

    /// Reads `path`; errors name the file, the key and the reason.
    public init(contentsOf path: String) throws {
        func fail(_ key: String, _ reason: String) -> Knowledge.FileError { Knowledge.FileError(path: path, key: key, reason: reason) }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw fail("", "cannot be read") }
        guard let root = (try? Yams.load(yaml: text)) as? [String: Any] else { throw fail("", "is not a YAML map") }
        func date(_ value: Any?, _ key: String) throws -> Date? {
            switch value {
            case nil: return nil
            case let date as Date: return date
            case let text as String:
                guard let date = Self.day(text) else { throw fail(key, "expected a date as YYYY-MM-DD") }
                return date
            default: throw fail(key, "expected a date as YYYY-MM-DD")
            }
        }
        func number(_ value: Any?, _ key: String) throws -> Double? {
            switch value {
            case nil: return nil
            case let number as Int: return Double(number)
            case let number as Double: return number
            default: throw fail(key, "expected a number")
            }
        }
        func texts(_ value: Any?, _ key: String) throws -> [Language: String] {
            guard let map = value as? [String: Any] else { throw fail(key, "expected a text per language (hu, en)") }
            var result: [Language: String] = [:]
            for language in Language.allCases {
                guard let text = map[language.rawValue] as? String else { throw fail("\(key).\(language.rawValue)", "a text is required") }
                result[language] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            return result
        }
        var promotions: [Promotion] = []
        for (index, item) in ((root["promotions"] as? [Any]) ?? []).enumerated() {
            let key = "promotions[\(index)]"
            guard let map = item as? [String: Any] else { throw fail(key, "expected a map") }
            promotions.append(Promotion(
                text: try texts(map["text"], "\(key).text"), from: try date(map["from"], "\(key).from"),
                until: try date(map["until"], "\(key).until")))
        }
        var coupons: [Coupon] = []
        for (index, item) in ((root["coupons"] as? [Any]) ?? []).enumerated() {
            let key = "coupons[\(index)]"
            guard let map = item as? [String: Any] else { throw fail(key, "expected a map") }
            guard let code = map["code"] as? String, !code.isEmpty else { throw fail("\(key).code", "a code is required") }
            let coupon = Coupon(
                code: code.uppercased(), percent: try number(map["percent"], "\(key).percent"),
                amount: try number(map["amount"], "\(key).amount"), minimumOrder: try number(map["min_order"], "\(key).min_order"),
                from: try date(map["from"], "\(key).from"), until: try date(map["until"], "\(key).until"))
            guard (coupon.percent == nil) != (coupon.amount == nil) else { throw fail(key, "give either percent or amount") }
            coupons.append(coupon)
        }
        var together: [String: [String]] = [:]
        for (category, words) in (root["together"] as? [String: Any]) ?? [:] {
            guard let list = words as? [Any] else { throw fail("together.\(category)", "expected a list of search words") }
            together[TextFolding.fold(category)] = list.map { "\($0)" }
        }
        self.init(
            promotions: promotions, coupons: coupons,
            loyalty: root["loyalty"] == nil ? [:] : try texts(root["loyalty"], "loyalty"), together: together)
    }

    /// Midnight in Budapest at the start of `YYYY-MM-DD`.
    static func day(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Budapest") ?? .gmt
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// The coupon with `code` (any case).
    public func coupon(_ code: String) -> Coupon? {
        coupons.first { $0.code == code.uppercased() }
    }
}
