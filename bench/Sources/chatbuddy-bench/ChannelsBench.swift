import ArgumentParser
import Channels
import ChatModel
import Foundation
import Mustache

/// SMS and email channel benchmark (no network): rendering time per reply, and Inbound Parse throughput on
/// posts with large attachments in the default and the raw mode.
struct ChannelsBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "channels",
        abstract: "Measure SMS and email rendering, and SendGrid Inbound Parse throughput.")

    @Option(help: "Replies rendered per channel.")
    var replies = 20_000

    @Option(help: "Size of the attachment in the parse posts, in MB.")
    var attachmentMB = 8

    @Option(help: "The email HTML layout.")
    var layout = "templates/email/layout.mustache"

    func run() async throws {
        let key = ConversationKey(channel: .sms, accountID: "+3617000123", userID: "+36301234567")
        let context = ReplyContext(conversation: key, inReplyTo: "SM1", language: .hu, processingTime: .zero, subject: "Rendelés", recipientName: "Kovács Éva")
        let reply = Self.reply
        var sms = SMSSettings()
        sms.fromNumber = "+3617000123"
        sms.statusCallback = "https://chat.example.hu/webhooks/sms/status"
        let smsRenderer = SMSRenderer(settings: sms)
        report("SMS render (UCS-2 text, 3 cards, 3 choices, 3-segment budget)", time(replies) {
            _ = smsRenderer.render(AgentResponse(replies: [reply], agent: .recommendation, confidence: 1), context: context)
        })
        var settings = EmailSettings(
            fromAddress: "support@example.hu", layout: try MustacheTemplate(string: try String(contentsOfFile: layout, encoding: .utf8)))
        settings.fromName = "Example Webshop"
        settings.publicBaseURL = "https://bolt.example.hu"
        let emailRenderer = EmailRenderer(settings: settings)
        let emailContext = ReplyContext(
            conversation: ConversationKey(channel: .email, accountID: "<a@b.hu>", userID: "kovacs.eva@gmail.com"), inReplyTo: "<m@b.hu>",
            language: .hu, processingTime: .zero, subject: "Rendelés", recipientName: "Kovács Éva")
        report("email render (text and HTML layout, 3 products, 3 choices)", time(replies) {
            _ = emailRenderer.render(AgentResponse(replies: [reply], agent: .recommendation, confidence: 1), context: emailContext)
        })

        let parse = SendGridInboundParse(maxAttachmentBytes: Int.max)
        let file = (0..<(attachmentMB << 20)).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) }
        let defaultPost = Self.defaultPost(file)
        let rawPost = Self.rawPost(file)
        for (name, post) in [("default mode", defaultPost), ("raw mode (base64 attachment)", rawPost)] {
            var seconds: [Double] = []
            for _ in 0..<5 {
                let started = ContinuousClock.now
                let email = try parse.parse(post, contentType: "multipart/form-data; boundary=xYzZY")
                seconds.append((ContinuousClock.now - started) / .seconds(1))
                precondition(email.attachments.count == 1 && email.attachments[0].size == file.count, "the attachment was not read whole")
            }
            let best = seconds.min() ?? .nan
            print(String(format: "Inbound Parse, %@, %.1f MB post: best of 5 %.1f ms, %.0f MB/s", name, Double(post.count) / 1_048_576, best * 1000,
                         Double(post.count) / 1_048_576 / best))
        }
    }

    static let reply = Reply(
        text: "Ezeket a kávéfőzőket ajánlom a megadott keretből; mindhárom raktáron van, és holnapra kiszállítjuk, ha ma 14 óráig megrendeled.",
        quickReplies: [
            QuickReply(title: "Olcsóbbat", payload: "CHEAPER"), QuickReply(title: "Emberrel beszélnék", payload: "HANDOFF"),
            QuickReply(title: "Rendelésem", payload: "MENU_ORDER"),
        ],
        cards: (1...3).map { index in
            Card(title: "Philips Series \(index)200 automata kávéfőző", subtitle: "\(index)89 990 Ft · raktáron", imageURL: "/products/household.svg",
                 url: "https://bolt.example.hu/termek/\(index)", sku: "KF-\(index)",
                 buttons: [.url(title: "Részletek", url: "https://bolt.example.hu/termek/\(index)"), .postback(title: "Kosárba", payload: "ADD_TO_CART:KF-\(index)")])
        })

    func time(_ count: Int, _ body: () -> Void) -> [Double] {
        for _ in 0..<min(count, 200) { body() }
        var seconds: [Double] = []
        seconds.reserveCapacity(count)
        for _ in 0..<count {
            let started = ContinuousClock.now
            body()
            seconds.append((ContinuousClock.now - started) / .seconds(1))
        }
        return seconds.sorted()
    }

    func report(_ name: String, _ sorted: [Double]) {
        let latency = Load.Latency(sorted: sorted, failures: 0)
        print(String(format: "%@: %d replies, p50 %.1f µs, p99 %.1f µs", name, sorted.count, latency.p50 * 1e6, latency.p99 * 1e6))
    }

    static func field(_ name: String, _ value: [UInt8], file: String? = nil, type: String? = nil) -> [UInt8] {
        var head = "--xYzZY\r\nContent-Disposition: form-data; name=\"\(name)\""
        if let file { head += "; filename=\"\(file)\"" }
        if let type { head += "\r\nContent-Type: \(type)" }
        return Array((head + "\r\n\r\n").utf8) + value + Array("\r\n".utf8)
    }

    static func defaultPost(_ file: [UInt8]) -> [UInt8] {
        let text = Array(String(repeating: "Csatolom a számlát és a fotót a sérült csomagról. ", count: 100).utf8)
        return field("headers", Array("Message-ID: <bench@gmail.com>\r\nSubject: Sérült csomag\r\n".utf8)) + field("from", Array("Kovács Éva <kovacs.eva@gmail.com>".utf8))
            + field("subject", Array("Sérült csomag".utf8)) + field("text", text)
            + field("envelope", Array(#"{"to":["s@inbound.example.hu"],"from":"kovacs.eva@gmail.com"}"#.utf8))
            + field("charsets", Array(#"{"subject":"UTF-8","from":"UTF-8","text":"UTF-8"}"#.utf8))
            + field("attachment-info", Array(#"{"attachment1":{"filename":"foto.jpg","type":"image/jpeg"}}"#.utf8))
            + field("attachment1", file, file: "foto.jpg", type: "image/jpeg") + Array("--xYzZY--\r\n".utf8)
    }

    static func rawPost(_ file: [UInt8]) -> [UInt8] {
        let encoded = Data(file).base64EncodedString(options: .lineLength76Characters)
        let message = """
            From: Kovács Éva <kovacs.eva@gmail.com>\r
            Subject: =?UTF-8?Q?S=C3=A9r=C3=BClt_csomag?=\r
            Message-ID: <bench-raw@gmail.com>\r
            Content-Type: multipart/mixed; boundary="mixed"\r
            \r
            --mixed\r
            Content-Type: text/plain; charset=UTF-8\r
            \r
            Csatolom a fotót.\r
            --mixed\r
            Content-Type: image/jpeg; name="foto.jpg"\r
            Content-Disposition: attachment; filename="foto.jpg"\r
            Content-Transfer-Encoding: base64\r
            \r
            \(encoded)\r
            --mixed--\r

            """
        return field("email", Array(message.utf8)) + field("envelope", Array(#"{"to":["s@inbound.example.hu"],"from":"kovacs.eva@gmail.com"}"#.utf8))
            + Array("--xYzZY--\r\n".utf8)
    }
}
