import Channels
import Foundation
import TestSupport
import Testing

@Suite("Twilio signatures: the official test vectors (docs/channels.md §3.4)")
struct TwilioSignatureTests {
    static let official = TwilioSignature(authToken: "12345")
    static let parameters = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+14158675309"), ("Digits", "1234"), ("From", "+14158675309"), ("To", "+18005551212"),
    ]
    static let url = "https://mycompany.com/myapp.php?foo=1&bar=2"

    @Test("the official vectors of twilio-python and twilio-node")
    func officialVectors() {
        let signer = Self.official
        #expect(signer.signature(url: Self.url, parameters: Self.parameters) == "RSOYDt4T1cUTdK1PDd93/VVr8B8=")
        #expect(signer.isValid(header: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: Self.url, parameters: Self.parameters))
        #expect(signer.isValid(header: "RSOYDt4T1cUTdK1PDd93/VVr8B8=", url: "https://mycompany.com:1234/myapp.php?foo=1&bar=2", parameters: Self.parameters),
                "a port the signature was computed without")
        #expect(signer.signature(url: "http://mycompany.com:1234/myapp.php?foo=1&bar=2", parameters: Self.parameters) == "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")
        #expect(signer.isValid(header: "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", url: "http://mycompany.com:1234/myapp.php?foo=1&bar=2", parameters: Self.parameters))
        #expect(signer.isValid(header: "kvajT1Ptam85bY51eRf/AJRuM3w=", url: Self.url, parameters: Self.parameters), "computed with :443")
        #expect(signer.isValid(header: "0ZXoZLH/DfblKGATFgpif+LLRf4=", url: "http://mycompany.com/myapp.php?foo=1&bar=2", parameters: Self.parameters),
                "computed with :80")
        let repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234"), ("Digits", "1234")]
        #expect(signer.signature(url: Self.url, parameters: repeated) == "IK+Dwps556ElfBT0I3Rgjkr1wJU=")
        #expect(signer.isValid(header: "IK+Dwps556ElfBT0I3Rgjkr1wJU=", url: Self.url, parameters: repeated))
    }

    @Test("JSON bodies are signed by their SHA-256 in the URL")
    func bodyHash() {
        let python = Self.url + "&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620"
        #expect(Self.official.isValid(header: "a9nBmqA0ju/hNViExpshrM61xv4=", url: python, parameters: [], body: Data(#"{"property": "value", "boolean": true}"#.utf8)))
        #expect(!Self.official.isValid(header: "a9nBmqA0ju/hNViExpshrM61xv4=", url: python, parameters: [], body: Data(#"{"property": "other"}"#.utf8)))
        let node = Self.url + "&bodySHA256=44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        #expect(Self.official.isValid(header: "Ldidvp12m26NI7eqEvxnEpkd9Hc=", url: node, parameters: [], body: Data("{}".utf8)))
    }

    static let corpus = TwilioSignature(authToken: "9f2d7c41a0b3e5d6c8f1a2b3c4d5e6f7")
    static let statusURL = "https://gateway.example.com/webhooks/twilio/status?tenant=demo"

    func form(_ name: String) throws -> [(String, String)] {
        FormEncoding.decode(String(decoding: try Fixtures.data("twilio/\(name).form"), as: UTF8.self))
    }

    @Test("the corpus forms, with and without :443", arguments: [
        ("sms_inbound_basic", "https://gateway.example.com/webhooks/twilio/sms", "Qe6YvTJEhzqu4VXuKvu8R3sDAMw="),
        ("status_delivered", statusURL, "1IAJwguqenmTpOoXWli4bLzaIt8="),
        ("status_failed_21610", statusURL, "dY9zuBYY1F50e87CNhGCfEDAD74="),
        ("status_sent", statusURL, "jz9YhX9+qmXdDPdIzTkoOjPKndc="),
        ("status_undelivered_30003", statusURL, "nK8HCfE94GZtThZztJS7/sgPEJc="),
    ])
    func corpusForms(file: String, url: String, expected: String) throws {
        let fields = try form(file)
        #expect(Self.corpus.signature(url: url, parameters: fields) == expected)
        #expect(Self.corpus.isValid(header: expected, url: url, parameters: fields))
        let withPort = url.replacing("gateway.example.com/", with: "gateway.example.com:443/")
        #expect(Self.corpus.isValid(header: expected, url: withPort, parameters: fields))
    }

    @Test("a dropped query, still-encoded values, another token or no header fail")
    func negatives() throws {
        let fields = try form("status_delivered")
        #expect(!Self.corpus.isValid(header: "1IAJwguqenmTpOoXWli4bLzaIt8=", url: "https://gateway.example.com/webhooks/twilio/status", parameters: fields))
        let encoded = fields.map { ($0.0, $0.1.replacing("+", with: "%2B")) }
        #expect(!Self.corpus.isValid(header: "1IAJwguqenmTpOoXWli4bLzaIt8=", url: Self.statusURL, parameters: encoded))
        #expect(!Self.official.isValid(header: "1IAJwguqenmTpOoXWli4bLzaIt8=", url: Self.statusURL, parameters: fields))
        #expect(!Self.corpus.isValid(header: nil, url: Self.statusURL, parameters: fields))
        #expect(!Self.corpus.isValid(header: "", url: Self.statusURL, parameters: fields))
    }
}
