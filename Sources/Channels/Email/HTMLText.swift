import Foundation

/// The readable text of an HTML mail body: quoted history (`blockquote`, Gmail's quote) dropped, block
/// ends as line breaks, tags removed and the common entities decoded.
enum HTMLText {
    static func plain(_ html: String) -> String {
        var text = html
        text = text.replacing(/(?is)<(script|style|head)\b.*?<\/\1>/, with: "")
        text = text.replacing(/(?is)<div[^>]*class="[^"]*gmail_quote.*$/, with: "")
        text = text.replacing(/(?is)<blockquote\b.*?<\/blockquote>/, with: "")
        text = text.replacing(/(?i)<br\s*\/?>|<\/(p|div|li|tr|h[1-6])>/, with: "\n")
        text = text.replacing(/<[^>]*>/, with: "")
        for (entity, character) in [("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"), ("&amp;", "&")] {
            text = text.replacing(entity, with: character)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        return lines.joined(separator: "\n").replacing(/\n{3,}/, with: "\n\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
