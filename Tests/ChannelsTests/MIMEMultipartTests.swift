import Testing

@testable import Channels

@Suite("MIME multipart bodies split on their boundary")
struct MIMEMultipartTests {
    static func split(_ text: String, boundary: String = "b0") throws -> [MIMEPart] {
        try MIMEPart.parts(of: Array(text.utf8), boundary: boundary)
    }

    @Test("preamble and epilogue are ignored; headers unfolded; bodies kept byte for byte")
    func wellFormed() throws {
        let parts = try Self.split(
            "preamble\r\n--b0\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nfirst\r\nline\r\n--b0  \r\n\r\nno headers\r\n--b0--\r\nepilogue")
        #expect(parts.count == 2)
        #expect(parts[0].dispositionParameter("name") == "a")
        #expect(parts[0].body == Array("first\r\nline".utf8))
        #expect(parts[1].headers.isEmpty)
        #expect(parts[1].body == Array("no headers".utf8))
    }

    @Test("bare line feeds are read as CRLF; a boundary-like line inside a part is data")
    func lineFeeds() throws {
        let parts = try Self.split("--b0\nX: 1\n\n--b0x\n--b\n--b0--\n")
        #expect(parts.count == 1)
        #expect(parts[0].header("X") == "1")
        #expect(parts[0].body == Array("--b0x\r\n--b".utf8))
    }

    @Test("no delimiter line, an unterminated part or a part without a header end are refused")
    func malformed() {
        #expect(throws: MIMEMultipartError.noDelimiter) { try Self.split("just text") }
        #expect(throws: MIMEMultipartError.noDelimiter) { try Self.split("--b0junk\r\n\r\nx\r\n--b0x") }
        #expect(throws: MIMEMultipartError.unterminated) { try Self.split("--b0\r\nX: 1\r\n\r\nbody never ends") }
        #expect(throws: MIMEMultipartError.noHeaderEnd) { try Self.split("--b0\r\nX: 1\r\n--b0--") }
        #expect(throws: MIMEMultipartError.noDelimiter) { try Self.split("--b0") }
    }
}
