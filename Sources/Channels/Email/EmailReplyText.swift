import Foundation

/// Separates what the customer wrote now from the quoted history and signature below it: "On … wrote:"
/// and "… írta:" headers, `>` lines, Outlook's "Original Message" and "From:/Sent:" blocks, and "-- " signatures.
public enum EmailReplyText {
    /// The most of a mail body read for its new text: what a customer writes now stands at the top.
    public static let maxCharacters = 20_000

    public static func newText(_ text: String) -> String {
        let lines = String(text.prefix(maxCharacters)).replacing("\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var kept: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            let next = index + 1 < lines.count ? lines[index + 1].trimmingCharacters(in: .whitespaces) : ""
            if startsHistory(trimmed, next: next) || (trimmed.hasPrefix(">") && !kept.isEmpty) { break }
            if line == "-- " || line == "--" { break }
            if mobileSignatures.contains(where: { trimmed.lowercased().hasPrefix($0) }) { break }
            kept.append(line)
            index += 1
        }
        return kept.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Whether `line` (with the one after it, for headers wrapped in two) opens quoted history.
    private static func startsHistory(_ line: String, next: String) -> Bool {
        let lower = line.lowercased()
        let following = next.lowercased()
        // "On Tue, 26 Nov 2024 at 11:20, Kovács Éva <…> wrote:", possibly wrapped.
        if lower.hasPrefix("on "), lower.hasSuffix("wrote:") || following.hasSuffix("wrote:") { return true }
        // "Kovács Éva <…> ezt írta (időpont: …):", "2024.11.26. 11:20 keltezéssel, Kovács Éva írta:", possibly wrapped.
        if lower.contains("írta"), lower.hasSuffix(":") || following.hasSuffix(":") { return true }
        if following.contains("írta"), following.hasSuffix(":"), lower.contains("@") || lower.contains("<") { return true }
        if lower.range(of: #"^-{2,}\s*(original message|eredeti üzenet|forwarded message|továbbított üzenet)\s*-{2,}"#, options: .regularExpression) != nil {
            return true
        }
        let headerStart = lower.hasPrefix("from:") || lower.hasPrefix("feladó:")
        let headerNext = ["sent:", "küldve:", "elküldve:", "date:", "dátum:"].contains { following.hasPrefix($0) }
        if headerStart && headerNext { return true }
        if lower.hasPrefix("________________"), following.hasPrefix("from:") || following.hasPrefix("feladó:") { return true }
        return false
    }

    private static let mobileSignatures = ["sent from my iphone", "sent from my android", "iphone-ról küldve", "küldve iphone", "sent from outlook for"]
}
