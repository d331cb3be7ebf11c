import Channels
import ChatModel
import Foundation
import TestSupport
import Testing

@Suite("Email in: SendGrid Inbound Parse, charsets, quoted history, threads")
struct EmailInboundTests {
    static let parse = SendGridInboundParse(maxAttachmentBytes: 1 << 20)
    static let formData = InboundParsePost.contentType

    func fixture(_ name: String) throws -> [UInt8] {
        Array(try Fixtures.data("sendgrid/\(name).multipart"))
    }

    @Test("the default mode: sender from the envelope, subject, text")
    func defaultMode() throws {
        let email = try Self.parse.parse(try fixture("parse_sdk_default"), contentType: Self.formData)
        #expect(email.from == "test@example.com")
        #expect(email.fromName == "Example User")
        #expect(email.subject == "Testing non-raw")
        #expect(email.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Hello Twilio SendGrid!")
        #expect(email.attachments.isEmpty)
    }

    @Test("the raw mode: the MIME message is read for its text parts")
    func rawMode() throws {
        let email = try Self.parse.parse(try fixture("parse_sdk_raw_mode"), contentType: Self.formData)
        #expect(email.from == "test@example.com")
        #expect(email.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Hello Twilio SendGrid!")
    }

    @Test("attachments are kept as name, type and size; one over the limit is refused; thread headers are read")
    func attachments() throws {
        let body = try fixture("parse_with_attachments")
        let email = try Self.parse.parse(body, contentType: Self.formData)
        #expect(email.from == "kovacs.eva@gmail.com")
        #expect(email.messageID == "<CAHx9QzK1vW+Xy3@mail.gmail.com>")
        #expect(email.subject == "Szamla es fotó")
        #expect(email.attachments.map(\.title) == ["szamla_1042.pdf", "image001.png"])
        #expect(email.attachments.map(\.mimeType) == ["application/pdf", "image/png"])
        #expect(email.attachments.map(\.kind) == [.file, .image])
        #expect(email.attachments.map(\.size) == [59, 70], "binary parts byte for byte (the PNG holds a bare line feed)")
        let small = SendGridInboundParse(maxAttachmentBytes: 40)
        #expect(throws: InboundEmailError.self) { try small.parse(body, contentType: Self.formData) }
        #expect(throws: InboundEmailError.malformed("expected multipart/form-data with a boundary")) {
            try Self.parse.parse(body, contentType: "application/json")
        }
    }

    static let latin2 = InboundParsePost.latin2

    @Test("every field in its own charset: ISO-8859-2 text and subject, windows-1250, an encoded-word subject in raw mode")
    func charsets() throws {
        let body = InboundParsePost.body([
            ("from", Array("Kovács Éva <kovacs.eva@freemail.hu>".utf8)), ("subject", Self.latin2), ("text", Self.latin2 + Array(" kell".utf8)),
            ("envelope", Array(#"{"to":["support@inbound.example.hu"],"from":"kovacs.eva@freemail.hu"}"#.utf8)),
            ("charsets", Array(#"{"from":"UTF-8","subject":"iso-8859-2","text":"ISO-8859-2"}"#.utf8)),
        ])
        let email = try Self.parse.parse(body, contentType: Self.formData)
        #expect(email.subject == "Árvíztűrő tükörfúrógép")
        #expect(email.text == "Árvíztűrő tükörfúrógép kell")
        #expect(email.fromName == "Kovács Éva")

        let raw = """
            From: =?ISO-8859-2?Q?Kov=E1cs_=C9va?= <kovacs.eva@freemail.hu>\r
            Subject: =?ISO-8859-2?Q?=C1rv=EDzt=FBr=F5?= =?UTF-8?B?IHTDvGvDtnJmw7pyw7Nnw6lw?=\r
            Message-ID: <abc@freemail.hu>\r
            Content-Type: text/plain; charset=ISO-8859-2\r
            Content-Transfer-Encoding: quoted-printable\r
            \r
            Szia! =C1rv=EDzt=FBr=F5 t=FCk=F6rf=FAr=F3g=E9p kellene, a sz=E1ml=E1t k=E9r=
            em.\r

            """
        let rawBody = InboundParsePost.body([
            ("email", Array(raw.utf8)), ("envelope", Array(#"{"to":["s@x.hu"],"from":"kovacs.eva@freemail.hu"}"#.utf8)),
            ("charsets", Array(#"{"to":"UTF-8","from":"UTF-8"}"#.utf8)),
        ])
        let rawEmail = try Self.parse.parse(rawBody, contentType: Self.formData)
        #expect(rawEmail.subject == "Árvíztűrő tükörfúrógép")
        #expect(rawEmail.text.trimmingCharacters(in: .whitespacesAndNewlines) == "Szia! Árvíztűrő tükörfúrógép kellene, a számlát kérem.")
        #expect(rawEmail.messageID == "<abc@freemail.hu>")
        let cp1250 = InboundParsePost.body([
            ("text", [0x8A, 0x61, 0x6C, 0xE1, 0x74, 0x61]), ("envelope", Array(#"{"from":"a@b.hu"}"#.utf8)),
            ("charsets", Array(#"{"text":"windows-1250"}"#.utf8)),
        ])
        #expect(try Self.parse.parse(cp1250, contentType: Self.formData).text == "Šaláta")
    }

    @Test("out-of-office replies, bulk mail and mailer daemons are told apart from customers", arguments: [
        ("Auto-Submitted: auto-replied\r\n", "kovacs.eva@gmail.com", true),
        ("Auto-Submitted: no\r\n", "kovacs.eva@gmail.com", false),
        ("X-Autoreply: yes\r\n", "kovacs.eva@gmail.com", true),
        ("Precedence: bulk\r\n", "kovacs.eva@gmail.com", true),
        ("Subject: Undelivered Mail\r\n", "MAILER-DAEMON@mx.example.com", true),
        ("Subject: Kérdés\r\n", "kovacs.eva@gmail.com", false),
    ])
    func automatic(headers: String, sender: String, expected: Bool) throws {
        let body = InboundParsePost.body([
            ("headers", Array(headers.utf8)), ("text", Array("Szia".utf8)), ("envelope", Array(#"{"from":"\#(sender)"}"#.utf8)),
        ])
        #expect(try Self.parse.parse(body, contentType: Self.formData).isAutomatic == expected)
    }

    @Test("mail from our own sending address is machine mail (any case)")
    func ownAddress() throws {
        let parse = SendGridInboundParse(maxAttachmentBytes: 1 << 20, ownAddress: "Support@Example.hu")
        let ours = InboundParsePost.body([("text", Array("Szia".utf8)), ("envelope", Array(#"{"from":"support@example.hu"}"#.utf8))])
        #expect(try parse.parse(ours, contentType: Self.formData).isAutomatic)
        let customer = InboundParsePost.body([("text", Array("Szia".utf8)), ("envelope", Array(#"{"from":"kovacs.eva@gmail.com"}"#.utf8))])
        #expect(try !parse.parse(customer, contentType: Self.formData).isAutomatic)
    }

    @Test("the new text is separated from quoted history and signatures", arguments: [
        "Köszönöm, megkaptam!\n\nKovács Éva <kovacs.eva@gmail.com> ezt írta (időpont: 2024. nov. 26., K, 11:20):\n> Mikor jön a csomag?",
        "Köszönöm, megkaptam!\n\n2024.11.26. 11:20 keltezéssel, Example Webshop írta:\n> Holnap érkezik.",
        "Köszönöm, megkaptam!\n\nOn Tue, 26 Nov 2024 at 11:20, Example Webshop <support@example.hu>\nwrote:\n> It arrives tomorrow.",
        "Köszönöm, megkaptam!\n\n-----Original Message-----\nFrom: Example Webshop\nSent: Tuesday",
        "Köszönöm, megkaptam!\n\n________________________________\nFeladó: Example Webshop <support@example.hu>\nElküldve: 2024. november 26.",
        "Köszönöm, megkaptam!\n-- \nKovács Éva\n+36 30 123 4567",
        "Köszönöm, megkaptam!\n\nSent from my iPhone",
        "Köszönöm, megkaptam!\n> Holnap érkezik.\n> Üdvözlettel",
    ])
    func quotedHistory(text: String) {
        #expect(EmailReplyText.newText(text) == "Köszönöm, megkaptam!")
    }

    @Test("a message's own words are kept whole, even with > inside a line and several paragraphs")
    func keptWhole() {
        let text = "Szia!\n\nA 2 > 1 szabály szerint kérem a nagyobbat.\n\nKöszönöm,\nÉva"
        #expect(EmailReplyText.newText(text) == text)
    }

    @Test("a thread is named by the root of its references, or by our own Message-ID it answers")
    func threads() {
        let first = InboundEmail(from: "a@b.hu", messageID: "<m1@b.hu>")
        #expect(EmailThreading.thread(of: first) == "<m1@b.hu>")
        let ours = EmailThreading.messageID(thread: "<m1@b.hu>", token: "0123abcd", domain: "example.hu")
        #expect(ours.hasPrefix("<cb.") && ours.hasSuffix("@example.hu>"))
        let replyToOurs = InboundEmail(from: "a@b.hu", messageID: "<m2@b.hu>", inReplyTo: [ours])
        #expect(EmailThreading.thread(of: replyToOurs) == "<m1@b.hu>", "only our id quoted: the thread is in it")
        let withReferences = InboundEmail(from: "a@b.hu", messageID: "<m3@b.hu>", inReplyTo: ["<x@b.hu>"], references: ["<m1@b.hu>", "<x@b.hu>"])
        #expect(EmailThreading.thread(of: withReferences) == "<m1@b.hu>")
        // Without a Message-ID the id comes from the content: a retried post is the same message, another text is not.
        let noID = InboundEmail(from: "a@b.hu", subject: "Szia", text: "Kérdés")
        let retried = InboundEmail(from: "a@b.hu", subject: "Szia", text: "Kérdés")
        let other = InboundEmail(from: "a@b.hu", subject: "Szia", text: "Másik kérdés")
        #expect(EmailThreading.thread(of: noID) == EmailThreading.thread(of: retried))
        #expect(EmailThreading.thread(of: noID) != EmailThreading.thread(of: other))
        #expect(EmailThreading.thread(of: noID).hasSuffix("@chatbuddy.invalid>"))
    }
}
