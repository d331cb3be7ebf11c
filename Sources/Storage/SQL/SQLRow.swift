/// One result row, by column name.
public struct SQLRow: Sendable {
    var values: [String: SQLValue]

    init(values: [String: SQLValue]) {
        self.values = values
    }

    /// The column as an integer, if it is one.
    public func int(_ column: String) -> Int64? {
        switch values[column] {
        case .int(let value): value
        case .double(let value): Int64(value)
        case .text(let value): Int64(value)
        case .null, nil: nil
        }
    }

    /// The column as a floating-point number, if it is one.
    public func double(_ column: String) -> Double? {
        switch values[column] {
        case .double(let value): value
        case .int(let value): Double(value)
        case .text(let value): Double(value)
        case .null, nil: nil
        }
    }

    /// The column as text, if it is not null.
    public func string(_ column: String) -> String? {
        switch values[column] {
        case .text(let value): value
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .null, nil: nil
        }
    }

    func requireInt(_ column: String) throws -> Int64 {
        guard let value = int(column) else { throw StoreError.corruptRow(column: column) }
        return value
    }

    /// The id in `column`, typed by its table.
    func requireID<Table>(_ column: String) throws -> RowID<Table> {
        RowID(try requireInt(column))
    }

    /// The value of `column` as one of an enumeration's cases.
    func requireEnum<Value: RawRepresentable<String>>(_ column: String) throws -> Value {
        guard let value = Value(rawValue: try requireString(column)) else { throw StoreError.corruptRow(column: column) }
        return value
    }

    func requireString(_ column: String) throws -> String {
        guard let value = string(column) else { throw StoreError.corruptRow(column: column) }
        return value
    }
}
