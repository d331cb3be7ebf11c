/// A value bound to a statement parameter.
public enum SQLValue: Sendable, Hashable {
    case null
    case int(Int64)
    case double(Double)
    case text(String)
}

/// An SQL statement whose interpolated values become bound parameters, never spliced text.
public struct SQLStatement: Sendable, ExpressibleByStringInterpolation {
    enum Fragment: Sendable {
        case text(String)
        case bind(SQLValue)
    }

    var fragments: [Fragment]

    public init(stringLiteral value: String) {
        fragments = [.text(value)]
    }

    public init(stringInterpolation: StringInterpolation) {
        fragments = stringInterpolation.fragments
    }

    /// Adds `other`'s text and bound values after this statement's (to build multi-row statements).
    public mutating func append(_ other: SQLStatement) {
        fragments += other.fragments
    }

    /// Whether the statement only reads (a `SELECT`, or a `WITH` whose statements change nothing), so it may run
    /// beside writes.
    var isRead: Bool {
        guard case .text(let text)? = fragments.first else { return false }
        switch text.drop(while: \.isWhitespace).prefix(while: \.isLetter).uppercased() {
        case "SELECT": return true
        case "WITH": return !changesData
        default: return false
        }
    }

    /// Whether a data-changing keyword appears as a word of the statement's text (bound values are not text).
    private var changesData: Bool {
        fragments.contains { fragment in
            guard case .text(let text) = fragment else { return false }
            return text.split { !($0.isLetter || $0 == "_") }.contains { ["INSERT", "UPDATE", "DELETE", "REPLACE"].contains($0.uppercased()) }
        }
    }

    /// Renders the statement with the engine's numbered placeholders.
    func render(_ dialect: SQLDialect) -> (sql: String, binds: [SQLValue]) {
        var sql = ""
        var binds: [SQLValue] = []
        for fragment in fragments {
            switch fragment {
            case .text(let text):
                sql += text
            case .bind(let value):
                binds.append(value)
                sql += dialect.placeholder(binds.count)
            }
        }
        return (sql, binds)
    }

    public struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []

        public init(literalCapacity: Int, interpolationCount: Int) {}

        public mutating func appendLiteral(_ literal: String) {
            fragments.append(.text(literal))
        }

        public mutating func appendInterpolation(_ value: String) {
            fragments.append(.bind(.text(value)))
        }

        public mutating func appendInterpolation(_ value: String?) {
            fragments.append(.bind(value.map(SQLValue.text) ?? .null))
        }

        public mutating func appendInterpolation(_ value: Int64) {
            fragments.append(.bind(.int(value)))
        }

        public mutating func appendInterpolation(_ value: Int64?) {
            fragments.append(.bind(value.map(SQLValue.int) ?? .null))
        }

        public mutating func appendInterpolation<Table>(_ value: RowID<Table>) {
            fragments.append(.bind(.int(value.rawValue)))
        }

        public mutating func appendInterpolation<Table>(_ value: RowID<Table>?) {
            fragments.append(.bind(value.map { SQLValue.int($0.rawValue) } ?? .null))
        }

        public mutating func appendInterpolation(_ value: Int) {
            fragments.append(.bind(.int(Int64(value))))
        }

        public mutating func appendInterpolation(_ value: Double) {
            fragments.append(.bind(.double(value)))
        }

        public mutating func appendInterpolation(_ value: Double?) {
            fragments.append(.bind(value.map(SQLValue.double) ?? .null))
        }

        /// Splices trusted SQL text (identifiers, fixed fragments) into the statement.
        public mutating func appendInterpolation(unsafeRaw text: String) {
            fragments.append(.text(text))
        }

        /// Adds a fragment built apart (a condition used in several places), its bound values with it.
        public mutating func appendInterpolation(_ statement: SQLStatement) {
            fragments += statement.fragments
        }

        /// Binds a list of texts for an `IN (…)` clause.
        public mutating func appendInterpolation(list values: [String]) {
            appendList(values.lazy.map(SQLValue.text))
        }

        /// Binds a list of integers for an `IN (…)` clause.
        public mutating func appendInterpolation(list values: [Int64]) {
            appendList(values.lazy.map(SQLValue.int))
        }

        private mutating func appendList(_ values: some Sequence<SQLValue>) {
            for (index, value) in values.enumerated() {
                if index > 0 { fragments.append(.text(", ")) }
                fragments.append(.bind(value))
            }
        }
    }
}

/// The SQL engines the store runs on.
public enum SQLDialect: String, Sendable {
    case sqlite
    case postgres

    func placeholder(_ index: Int) -> String {
        switch self {
        case .sqlite: "?\(index)"
        case .postgres: "$\(index)"
        }
    }
}
