import Foundation

/// When operators answer (`operators.hours`, e.g. `Mon-Fri 09:00-17:00, Sat 09:00-13:00`), in one time zone.
public struct OperatorHours: Sendable, Hashable {
    /// One day's opening: weekday (1 = Sunday … 7 = Saturday, as `Calendar` counts) and minutes after midnight.
    public struct Opening: Sendable, Hashable {
        public var weekday: Int
        public var from: Int
        public var until: Int
    }

    public var openings: [Opening]
    public var timeZone: TimeZone

    /// A specification that cannot be read, with the reason.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    static let days = ["sun": 1, "mon": 2, "tue": 3, "wed": 4, "thu": 5, "fri": 6, "sat": 7]

    /// Reads `Mon-Fri 09:00-17:00`, ranges separated by commas; days are English three-letter names.
    public init(_ text: String, timeZone: TimeZone) throws(Invalid) {
        self.timeZone = timeZone
        var openings: [Opening] = []
        for part in text.split(separator: ",") {
            let fields = part.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2 else { throw Invalid(description: "'\(part.trimmingCharacters(in: .whitespaces))': expected days and hours, like Mon-Fri 09:00-17:00") }
            let dayNames = fields[0].lowercased().split(separator: "-").map(String.init)
            guard (1...2).contains(dayNames.count), let first = Self.days[dayNames[0]], let last = Self.days[dayNames.last!] else {
                throw Invalid(description: "'\(fields[0])': days are Mon, Tue, Wed, Thu, Fri, Sat, Sun, or a range like Mon-Fri")
            }
            let times = fields[1].split(separator: "-").compactMap(Self.minutes)
            guard times.count == 2, times[0] < times[1] else {
                throw Invalid(description: "'\(fields[1])': hours are HH:MM-HH:MM, the first before the second")
            }
            var day = first
            while true {
                openings.append(Opening(weekday: day, from: times[0], until: times[1]))
                if day == last { break }
                day = day % 7 + 1
            }
        }
        guard !openings.isEmpty else { throw Invalid(description: "no opening hours given") }
        self.openings = openings
    }

    private static func minutes(_ text: Substring) -> Int? {
        let parts = text.split(separator: ":").compactMap { Int($0) }
        guard parts.count == 2, (0...24).contains(parts[0]), (0...59).contains(parts[1]), parts[0] * 60 + parts[1] <= 24 * 60 else { return nil }
        return parts[0] * 60 + parts[1]
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// Whether an operator answers at `date`.
    public func isOpen(at date: Date) -> Bool {
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return openings.contains { $0.weekday == parts.weekday && $0.from <= minute && minute < $0.until }
    }

    /// The next time operators start answering after `date` (within a week).
    public func nextOpening(after date: Date) -> Date? {
        let calendar = self.calendar
        let startOfDay = calendar.startOfDay(for: date)
        var candidates: [Date] = []
        for offset in 0...7 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: startOfDay) else { continue }
            let weekday = calendar.component(.weekday, from: day)
            for opening in openings where opening.weekday == weekday {
                if let start = calendar.date(byAdding: .minute, value: opening.from, to: day), start > date { candidates.append(start) }
            }
        }
        return candidates.min()
    }
}
