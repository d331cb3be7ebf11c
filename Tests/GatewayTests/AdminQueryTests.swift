import Foundation
import Testing

@Suite("Admin API filters")
struct AdminQueryTests {
    @Test("a mode or hand-off state that does not exist is a 400 naming the values, not an empty page")
    func unknownFilters() async throws {
        try await GatewayHarness.run { gateway in
            let mode = try await gateway.admin("/conversations?mode=robot")
            #expect(mode.status == 400 && mode.errorCode == "invalid_mode")
            let state = try await gateway.admin("/handoffs?state=pending")
            #expect(state.status == 400 && state.errorCode == "invalid_state")
            let human = try await gateway.admin("/conversations?mode=human")
            #expect(human.status == 200)
        }
    }
}
