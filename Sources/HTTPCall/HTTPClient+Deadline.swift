import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// An outbound call that took longer than its deadline, headers and body together.
public struct HTTPCallTimeout: Error, CustomStringConvertible {
    public var deadline: Duration
    public var description: String { "no complete answer within \(deadline)" }
}

/// A whole answer: status, headers and the collected body.
public struct HTTPCallAnswer: Sendable {
    public var status: HTTPResponseStatus
    public var headers: HTTPHeaders
    public var body: ByteBuffer
}

extension HTTPClient {
    /// Sends `request` and reads the whole answer (at most `maxBodyBytes`) within `deadline`.
    public func call(_ request: HTTPClientRequest, deadline: Duration, maxBodyBytes: Int) async throws -> HTTPCallAnswer {
        try await call(request, deadline: deadline) { response in
            HTTPCallAnswer(status: response.status, headers: response.headers, body: try await response.body.collect(upTo: maxBodyBytes))
        }
    }

    /// Sends `request` and hands the answer to `consume`, all within `deadline`: a server that sends its
    /// headers and then stalls the body is cut off like one that never answers.
    public func call<Result: Sendable>(
        _ request: HTTPClientRequest, deadline: Duration, consume: @escaping @Sendable (HTTPClientResponse) async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask {
                // The client's own deadline ends the wait for headers; the race below ends the rest.
                let response = try await self.execute(request, deadline: .now() + TimeAmount(deadline))
                return try await consume(response)
            }
            group.addTask {
                try await _Concurrency.Task.sleep(for: deadline)
                throw HTTPCallTimeout(deadline: deadline)
            }
            defer { group.cancelAll() }
            guard let result = try await group.next() else { throw HTTPCallTimeout(deadline: deadline) }
            return result
        }
    }
}
