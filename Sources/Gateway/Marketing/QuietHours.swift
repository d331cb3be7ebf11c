import Foundation

/// Hours of the day when no marketing is sent (`marketing.quiet_hours`, e.g. `21:00-08:00`), in one time zone;
/// a message due in them waits for their end.
public struct QuietHours: Sendable, Hashable {
    /// Minutes after midnight; `from` later than `until` spans midnight.
    public var from: Int
    public var until: Int
    public var timeZone: TimeZone

    /// A specification that cannot be read, with the reason.
    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads `HH:MM-HH:MM`.
    public init(_ text: String, timeZone: TimeZone) throws(Invalid) {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let from = Self.minutes(parts[0]), let until = Self.minutes(parts[1]), from != until else {
            throw Invalid(description: "'\(text)': expected HH:MM-HH:MM with two different times, like 21:00-08:00")
        }
        self.from = from
        self.until = until
        self.timeZone = timeZone
    }

    private static func minutes(_ text: String) -> Int? {
        let fields = text.split(separator: ":")
        guard fields.count == 2, fields[1].count == 2, let hour = Int(fields[0]), let minute = Int(fields[1]),
            (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    private var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar
    }

    /// When the quiet hours `date` falls in end; nil when it falls outside them.
    public func end(ifQuietAt date: Date) -> Date? {
        let calendar = calendar
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        let quiet = from < until ? (from..<until).contains(minute) : minute >= from || minute < until
        guard quiet else { return nil }
        let day = calendar.startOfDay(for: date)
        // The end is today when it is still ahead, else tomorrow (quiet hours that span midnight, entered in the evening).
        let sameDay = minute < until
        let endDay = sameDay ? day : calendar.date(byAdding: .day, value: 1, to: day) ?? day
        return calendar.date(bySettingHour: until / 60, minute: until % 60, second: 0, of: endDay) ?? date
    }
}
