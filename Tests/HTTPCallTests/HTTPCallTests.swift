import AsyncHTTPClient
import HTTPCall
import TestSupport
import Testing

@Suite("Outbound calls: whole-request deadlines and URLs fit for logs")
struct HTTPCallTests {
    @Test("an answer whose body stalls after its headers is cut off at the deadline")
    func stalledBody() async throws {
        let upstream = FakeUpstream()
        await upstream.enqueue([.init(status: 200, body: "{\"slow\":true}", stallBody: .seconds(6))])
        try await upstream.serve { base in
            let clock = ContinuousClock()
            let start = clock.now
            await #expect(throws: HTTPCallTimeout.self) {
                _ = try await HTTPClient.shared.call(HTTPClientRequest(url: base + "/slow"), deadline: .milliseconds(500), maxBodyBytes: 1024)
            }
            // Far below the 6 s stall, with room for a busy machine.
            #expect(clock.now - start < .seconds(4))
            let answer = try await HTTPClient.shared.call(HTTPClientRequest(url: base + "/fine"), deadline: .seconds(5), maxBodyBytes: 1024)
            #expect(answer.status.code == 200)
        }
    }

    @Test("credentials, query and fragment are left out of a logged URL; paths and other text stay")
    func redaction() {
        #expect("https://user:pw@shop.example.hu:8443/feed.xml?key=s3cret#x".redactedURL
            == "https://shop.example.hu:8443/feed.xml (credentials and query hidden)")
        #expect("http://shop.example.hu/feed.xml".redactedURL == "http://shop.example.hu/feed.xml")
        #expect("catalog/sample-unas.xml".redactedURL == "catalog/sample-unas.xml")
    }
}
