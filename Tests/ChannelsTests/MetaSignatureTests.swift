import Channels
import Foundation
import TestSupport
import Testing

@Suite("Meta X-Hub-Signature-256")
struct MetaSignatureTests {
    static let secret = "3f7c9a2b1d4e6f8091a2b3c4d5e6f708"

    /// Signatures computed over the exact fixture bytes (docs/channels.md §1.3).
    static let vectors: [(String, String)] = [
        ("messenger/delivery.json", "sha256=71193ca8834f3d2bdee9412a5fbdfeb051282893face9a4890ef40a9c7042d08"),
        ("messenger/echo.json", "sha256=d6d18da7df94df5acee8a03af14c45c6dcb9aab2097f92ce61bfe01342a4170b"),
        ("messenger/postback_product.json", "sha256=8b6d13e0b49066eefec391d0a706049c6b9c2418396fb118f2794aafe2c7432f"),
        ("messenger/quick_reply.json", "sha256=f556ae26e786f7e2f7056b0cd1ec70e5e1710986897718d670e54addb1d6d6ff"),
        ("messenger/reaction.json", "sha256=b25b1e6f45b60467a979d3f40358bf05d4bb60b02e51aae7524355f9e52d6b87"),
        ("messenger/read.json", "sha256=792f721a8934066c56c4d5e5c6e083d37aaeeab89401ce93ca1430f8b8ccfe79"),
    ]

    @Test("the official SDK vector")
    func officialVector() {
        let signature = MetaSignature(appSecret: "TEST_APP_SECRET")
        let expected = "sha256=0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221"
        #expect(signature.header(for: Data("test".utf8)) == expected)
        #expect(Self.check(signature, expected, Data("test".utf8)))
        #expect(Self.check(signature, expected.uppercased().replacingOccurrences(of: "SHA256=", with: "sha256="), Data("test".utf8)))
    }

    @Test("fixture vectors", arguments: vectors)
    func fixtureVectors(file: String, header: String) throws {
        let body = try Fixtures.data(file)
        let signature = MetaSignature(appSecret: Self.secret)
        #expect(Self.check(signature, header, body))
        #expect(signature.header(for: body) == header)
    }

    @Test("rejects re-serialised bodies, other secrets, and malformed headers")
    func negatives() throws {
        let body = try Fixtures.data("messenger/echo.json")
        let signature = MetaSignature(appSecret: Self.secret)
        let good = "sha256=d6d18da7df94df5acee8a03af14c45c6dcb9aab2097f92ce61bfe01342a4170b"
        // The body decoded and re-encoded (accents unescaped) no longer matches.
        let reencoded = try JSONSerialization.data(withJSONObject: JSONSerialization.jsonObject(with: body))
        #expect(!Self.check(signature, good, reencoded))
        #expect(!Self.check(MetaSignature(appSecret: "another-secret"), good, body))
        #expect(!Self.check(signature, nil, body))
        #expect(!Self.check(signature, String(good.dropFirst(7)), body))
        #expect(!Self.check(signature, "sha1=" + good.dropFirst(7), body))
        #expect(!Self.check(signature, good.dropLast() + "0", body))
        #expect(!Self.check(signature, "sha256=" + String(repeating: "z", count: 64), body))
        var trailing = body
        trailing.append(0x0a)
        #expect(!Self.check(signature, good, trailing))
    }

    static func check(_ signature: MetaSignature, _ header: String?, _ body: Data) -> Bool {
        body.withUnsafeBytes { signature.isValid(header: header, body: $0) }
    }
}

@Suite("Meta verification handshake")
struct MetaVerificationTests {
    let verification = MetaVerification(verifyToken: "verify-me-7f3a")

    @Test func echoesTheChallenge() {
        #expect(verification.challenge(mode: "subscribe", token: "verify-me-7f3a", challenge: "1158201444") == "1158201444")
    }

    @Test func refusesWrongTokenOrMode() {
        #expect(verification.challenge(mode: "subscribe", token: "wrong", challenge: "1") == nil)
        #expect(verification.challenge(mode: "unsubscribe", token: "verify-me-7f3a", challenge: "1") == nil)
        #expect(verification.challenge(mode: nil, token: "verify-me-7f3a", challenge: "1") == nil)
        #expect(verification.challenge(mode: "subscribe", token: nil, challenge: "1") == nil)
        #expect(verification.challenge(mode: "subscribe", token: "verify-me-7f3a", challenge: nil) == nil)
    }
}
