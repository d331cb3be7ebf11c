import AsyncHTTPClient
import HTTPCall
import Foundation
import NIOCore

/// Looks up where a customer's WhatsApp media can be downloaded (`GET {graph}/{media id}` with the
/// token); asked only when someone needs the file, since the link expires within minutes.
public struct WhatsAppMedia: Sendable {
    /// A media file's short-lived download link.
    public struct Location: Codable, Sendable, Hashable {
        public var url: String
        public var mimeType: String?
        public var fileSize: Int?

        enum CodingKeys: String, CodingKey {
            case url
            case mimeType = "mime_type"
            case fileSize = "file_size"
        }
    }

    /// The Graph API did not give a link.
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    private let client: HTTPClient
    private let graphBaseURL: String
    private let accessToken: String
    private let timeout: TimeAmount

    public init(client: HTTPClient, graphBaseURL: String, accessToken: String, timeout: TimeAmount) {
        self.client = client
        self.graphBaseURL = graphBaseURL.trimmingSuffix("/")
        self.accessToken = accessToken
        self.timeout = timeout
    }

    public func location(of mediaID: String) async throws -> Location {
        guard !mediaID.isEmpty, mediaID.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
            throw Failure(description: "not a media id")
        }
        var request = HTTPClientRequest(url: "\(graphBaseURL)/\(mediaID)")
        request.headers.add(name: "Authorization", value: "Bearer \(accessToken)")
        let answer = try await client.call(request, deadline: .nanoseconds(timeout.nanoseconds), maxBodyBytes: 1 << 16)
        guard answer.status == .ok, let location = try? JSONDecoder().decode(Location.self, from: Data(answer.body.readableBytesView)) else {
            throw Failure(description: "the Graph API answered \(answer.status.code) for the media id")
        }
        return location
    }
}
