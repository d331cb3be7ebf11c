/// One result row, by column name.
public struct SQLRow: Sendable {
    /// The statement's column names, one array shared by all its rows.
    let columns: [String]
    /// The values, in the order of `columns`.
    let values: [SQLValue]

    init(columns: [String], values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The values by column name (of two columns named alike, the last).
    var byName: [String: SQLValue] {
        Dictionary(zip(columns, values), uniquingKeysWith: { _, last in last })
    }

    /// The value of `column` (of two columns named alike, the last, as `byName` has it): a few columns compared,
    /// cheaper than a dictionary built for each row.
    private subscript(_ column: String) -> SQLValue? {
        guard let index = columns.lastIndex(of: column) else { return nil }
        return values[index]
    }

    /// The column as an integer, if it is one.
    public func int(_ column: String) -> Int64? {
        switch self[column] {
        case .int(let value): value
        case .double(let value): Int64(value)
        case .text(let value): Int64(value)
        case .null, nil: nil
        }
    }

    /// The column as a floating-point number, if it is one.
    public func double(_ column: String) -> Double? {
        switch self[column] {
        case .double(let value): value
        case .int(let value): Double(value)
        case .text(let value): Double(value)
        case .null, nil: nil
        }
    }

    /// The column as text, if it is not null.
    public func string(_ column: String) -> String? {
        switch self[column] {
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
