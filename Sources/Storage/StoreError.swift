/// Failures of the store that callers may want to tell apart.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case unsupportedURL(String)
    case corruptRow(column: String)
    case notFound
    /// A queued transaction was never run (the database was closed underneath it).
    case transactionNotRun
    /// A stored inbound event whose body cannot be read back.
    case undecodableEvent(messageID: MessageID)
    /// SQLite's write-ahead log could not be emptied after an erasure (a reader kept an old snapshot).
    case logNotEmptied

    public var description: String {
        switch self {
        case .unsupportedURL(let scheme): "unsupported database URL scheme '\(scheme)' (use sqlite:PATH or postgres://…)"
        case .corruptRow(let column): "stored row has an unexpected value in column \(column)"
        case .notFound: "not found"
        case .transactionNotRun: "the transaction was not run"
        case .undecodableEvent(let id): "stored inbound event \(id) cannot be decoded"
        case .logNotEmptied: "the SQLite write-ahead log could not be emptied; the erased data may remain in it until the next checkpoint"
        }
    }
}
