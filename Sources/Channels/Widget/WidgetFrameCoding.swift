import Foundation

/// The JSON coders shared by the widget's frames and stored payloads.
enum WidgetFrameCoding {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(timestampStyle))
        }
        return encoder
    }()

    static let decoder = JSONDecoder()

    /// ISO 8601 in UTC with milliseconds, as browsers' `Date` parses it.
    static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
