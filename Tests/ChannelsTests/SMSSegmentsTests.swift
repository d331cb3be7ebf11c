import Channels
import Testing

@Suite("SMS segments (docs/channels.md §3.6)")
struct SMSSegmentsTests {
    @Test("GSM-7: 160 in one segment, 153 per part; the extension table counts double")
    func gsm() {
        #expect(SMSSegments("Hello").encoding == .gsm7)
        #expect(SMSSegments("").count == 1)
        #expect(SMSSegments(String(repeating: "a", count: 160)).count == 1)
        #expect(SMSSegments(String(repeating: "a", count: 161)).count == 2)
        #expect(SMSSegments(String(repeating: "a", count: 306)).count == 2)
        #expect(SMSSegments(String(repeating: "a", count: 307)).count == 3)
        let euros = SMSSegments(String(repeating: "€", count: 80))
        #expect(euros.encoding == .gsm7 && euros.units == 160 && euros.count == 1)
        #expect(SMSSegments(String(repeating: "€", count: 81)).count == 2)
        #expect(SMSSegments("^{}\\[~]|€").units == 18)
        // "é ö ü É Ö Ü" are in the GSM alphabet.
        let greeting = SMSSegments("Köszönjük, Éva! Ütemezve: szerdán.")
        #expect(greeting.encoding == .ucs2, "á is not GSM-7")
        #expect(SMSSegments("Köszönjük, Éva! Ütemezve, hétfőn").encoding == .ucs2, "ő is not GSM-7")
        #expect(SMSSegments("Köszönjük, Éva! Ütemezve: péntek.").encoding == .gsm7)
    }

    @Test("an escaped character is never split between parts")
    func escapeAtBoundary() {
        // 306 septets would be two parts, but the € that would straddle the first boundary moves whole.
        let text = String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152)
        #expect(SMSSegments(text).units == 306)
        #expect(SMSSegments(text).count == 3)
    }

    @Test("UCS-2: 70 in one segment, 67 per part; Hungarian ő and ű, and an emoji as two units never split")
    func ucs2() {
        #expect(SMSSegments(String(repeating: "ő", count: 70)).count == 1)
        #expect(SMSSegments(String(repeating: "ű", count: 71)).count == 2)
        let emoji = SMSSegments("Szia 👋")
        #expect(emoji.encoding == .ucs2 && emoji.units == 7)
        #expect(SMSSegments(String(repeating: "😀", count: 35)).count == 1)
        #expect(SMSSegments(String(repeating: "😀", count: 36)).count == 2)
        let straddling = String(repeating: "á", count: 66) + "😀" + String(repeating: "á", count: 66)
        #expect(SMSSegments(straddling).units == 134)
        #expect(SMSSegments(straddling).count == 3)
    }
}
