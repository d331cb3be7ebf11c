import Foundation

/// UNAS dates (`YYYY.MM.DD`, optionally with `HH:MM[:SS]`), in the shop's time zone (Budapest).
enum UNASDate {
    static let timeZone = TimeZone(identifier: "Europe/Budapest") ?? .gmt
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }()

    /// The moment `text` names; a bare date is its start, or with `endOfDay` the start of the next day.
    static func parse(_ text: String, endOfDay: Bool = false) -> Date? {
        let parts = text.split(whereSeparator: { $0 == " " || $0 == "T" })
        guard let day = parts.first else { return nil }
        let ymd = day.split(whereSeparator: { $0 == "." || $0 == "-" }).compactMap { Int($0) }
        guard ymd.count == 3 else { return nil }
        var components = DateComponents(year: ymd[0], month: ymd[1], day: ymd[2])
        if parts.count > 1 {
            let hms = parts[1].split(separator: ":").compactMap { Int($0) }
            guard !hms.isEmpty else { return nil }
            components.hour = hms[0]
            components.minute = hms.count > 1 ? hms[1] : 0
            components.second = hms.count > 2 ? hms[2] : 0
        } else if endOfDay {
            components.day = ymd[2] + 1
        }
        guard (1...12).contains(ymd[1]), (1...31).contains(ymd[2]) else { return nil }
        return calendar.date(from: components)
    }
}
