import Testing

@testable import Markup

@Suite struct HTMLTextTests {
    @Test func wordsOfADescription() {
        #expect(HTMLText.words("<p>Első</p><p>második&nbsp;&amp; <b>harmadik</b></p>") == "Első második & harmadik")
        #expect(HTMLText.words("<script>x()</script><style>p{}</style>szöveg") == "szöveg")
        #expect(HTMLText.words("no markup   at\tall") == "no markup at all")
        #expect(HTMLText.collapse("  a\u{00A0}\u{00A0}b \n\t ő ű©  ") == "a b ő ű©")
        #expect(HTMLText.collapse("") == "")
    }

    @Test func mailKeepsBlocksAsLinesAndDecodesEntities() {
        let html = """
            <html><head><title>Re: rendelés</title><style>p { color: red }</style></head>
            <body><p>Szia,</p><p>a rendel&eacute;sem &aacute;llapot&aacute;t k&eacute;rdezn&eacute;m.<br>K&ouml;sz&ouml;n&ouml;m&#33;</p>
            <div>Éva &lt;eva@example.hu&gt;</div><script>alert(1)</script></body></html>
            """
        #expect(HTMLText.mail(html) == "Szia,\na rendelésem állapotát kérdezném.\nKöszönöm!\nÉva <eva@example.hu>")
    }

    @Test func mailLeavesOutQuotedHistory() {
        let gmail = """
            <div dir="ltr">Mikor jön a csomag?</div><br><div class="gmail_quote"><div dir="ltr">On Tue wrote:</div>
            <blockquote class="gmail_quote">Korábbi levél</blockquote></div><p>after the quote</p>
            """
        #expect(HTMLText.mail(gmail) == "Mikor jön a csomag?")
        #expect(HTMLText.mail("<p>Új szöveg</p><blockquote><p>régi</p></blockquote><p>vége</p>") == "Új szöveg\nvége")
    }

    @Test func mailBreaksLinesOnlyWhereTheMarkupDoes() {
        #expect(HTMLText.mail("<p>egy</p>\n<p>kettő</p>") == "egy\nkettő")
        #expect(HTMLText.mail("<p>egy</p><br><p>kettő</p>") == "egy\n\nkettő")
        #expect(HTMLText.mail("<p>egy</p><p>kettő</p>") == "egy\nkettő")
        #expect(HTMLText.mail("sima   szöveg\n  két sorban") == "sima szöveg két sorban")
        #expect(HTMLText.mail("") == "")
    }

    @Test func tagsAreCutToTheirFirstAttributes() {
        let limiter = HTMLAttributeLimiter(maxAttributes: 2)
        func limited(_ html: String) -> String { String(decoding: limiter.limit(Array(html.utf8)), as: UTF8.self) }
        #expect(limited("<p a=1 b='2>' c=\"3\" d>x</p>") == "<p a=1 b='2>'  >x</p>")
        #expect(limited("<br/><a href=x/y class = \"q\" z>t") == "<br/><a href=x/y class = \"q\" >t")
        #expect(limited("a < b <3 <!-- c --> <p") == "a < b <3 <!-- c --> <p")
        #expect(limited("<p a b c \"unterminated") == "<p a b  ")
    }

    @Test func hostileMarkupStaysLinear() {
        // Each of these made a naive parser quadratic or worse; a megabyte of each must finish at once
        // (a ten-fold slower run would still be far under a second).
        let megabyte = 1 << 20
        let attributes = "<p" + (0..<(megabyte / 8)).map { " a\($0)" }.joined() + ">x"
        let cases = [
            "<p>Szia</p>" + String(repeating: "<script", count: megabyte / 7),
            attributes,
            String(repeating: "<div>", count: megabyte / 5) + "mély",
            String(repeating: "<div>", count: megabyte / 10) + String(repeating: "</span>", count: megabyte / 14),
            String(repeating: "<p><b>x</p>", count: megabyte / 11),
            String(repeating: "&#", count: megabyte / 2),
            String(repeating: "<a href='", count: megabyte / 9),
            String(repeating: "<!--", count: megabyte / 4),
        ]
        for html in cases {
            let clock = ContinuousClock()
            let elapsed = clock.measure {
                _ = HTMLText.mail(html)
                _ = HTMLText.words(html)
            }
            #expect(elapsed < .seconds(3), "\(html.prefix(20))… took \(elapsed)")
        }
    }
}
