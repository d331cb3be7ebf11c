import Testing

@testable import Markup

@Suite struct HTMLWordReaderTests {
    /// The words as they were read before the reader: libxml2's tree of the document, walked.
    static func wordsOfTree(_ html: String) -> String {
        guard html.utf8.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) else {
            return HTMLText.collapse(html)
        }
        var words = ""
        HTMLDocument(html).walk(
            element: { name, _ in
                guard name != "script", name != "style" else { return .skip }
                words += " "
                return .descend
            },
            leave: { _ in words += " " },
            text: { words += $0 })
        return HTMLText.collapse(words)
    }

    static let pieces = [
        "<p>", "</p>", "<b>", "</b>", "<i>", "</i>", "<ul>", "</ul>", "<li>", "</li>", "<br>", "<br/>", "<div class=x>",
        "</div>", "<table>", "<tr>", "<td>", "</td>", "</tr>", "</table>", "<script>", "</script>", "<style>", "</style>",
        "<!-- c -->", "<!--", "-->", "&amp;", "&nbsp;", "&eacute;", "&#337;", "&#x171;", "&bogus;", "&", "<", ">", " ", "  ",
        "\n", "\t", "\u{00A0}", "szó", "árvíztűrő", "tükörfúrógép", "x", "2", "<html>", "</html>", "<body>", "</body>",
        "<head>", "<title>", "</title>", "<meta charset=latin2>", "<p a=1 b='2' c=\"3\">", "</span>", "<![CDATA[x]]>",
        "<?pi?>", "<!DOCTYPE html>", "<img src=a.jpg>", "<h1>", "</h1>", "<pre>", "</pre>", "<select><option>o</option></select>",
    ]

    /// Documents put together from the pieces above (deterministic), each read by one reader in turn.
    @Test func sameWordsAsTheTreeOverManyDocuments() {
        var state: UInt64 = 7
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let reader = HTMLWordReader()
        var documents = [
            "<p>Első</p><p>második&nbsp;&amp; <b>harmadik</b></p>", "<script>x()</script><style>p{}</style>szöveg",
            "A Bosch laptop vízálló kivitelben &amp; egyszerű visszaküldés.", "<p>a</p> <p>b</p>", "a<!--c--> <!--d-->b",
            "<ul> <li>x</li> </ul>", "</p>szöveg", "<b>félkövér <i>dőlt</b> vége</i>", "", "   ", "&", "<",
        ]
        // Around the depth where libxml2 stops building a tree.
        for depth in [255, 256, 257, 258, 300] { documents.append(String(repeating: "<i>", count: depth) + "mély</i> után") }
        for _ in 0..<3000 { documents.append((0..<(1 + next(24))).map { _ in Self.pieces[next(Self.pieces.count)] }.joined()) }
        for html in documents {
            #expect(reader.words(html) == Self.wordsOfTree(html), "\(html)")
        }
    }

    @Test func aReplacedContextReadsTheSame() {
        let reader = HTMLWordReader()
        // More distinct element names than one context keeps, so it is replaced along the way.
        for number in 0..<(HTMLWordReader.maxNames / 50 + 5) {
            let html = (0..<60).map { "<x\(number)n\($0)>" }.joined() + "<p>szó \(number)</p>"
            #expect(reader.words(html) == "szó \(number)")
        }
        #expect(reader.contextsMade == 2)
    }
}
