import Foundation

/// Where a job stands.
public enum JobState: String, Codable, Sendable, Hashable, CaseIterable {
    /// Waiting for its time, or for a retry.
    case pending
    case done
    /// Given up after its attempts.
    case dead
}

/// Work to do later, stored so that it survives a restart: its kind names the handler, its payload is JSON.
public struct JobDraft: Sendable, Hashable {
    public var kind: String
    public var payload: String
    public var runAt: Date

    public init(kind: String, payload: String, runAt: Date) {
        self.kind = kind
        self.payload = payload
        self.runAt = runAt
    }
}

/// A job claimed by a worker, which holds it until its lease ends.
public struct JobRecord: Sendable, Hashable {
    public var id: JobID
    public var kind: String
    public var payload: String
    /// Attempts so far, this one included.
    public var attempts: Int
}

/// A job's id.
public typealias JobID = RowID<Tables.Jobs>

extension Tables {
    public enum Jobs {}
}
