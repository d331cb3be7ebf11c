import Channels
import Foundation

/// SendGrid Inbound Parse posts (multipart, and raw MIME in its `email` field). The input's first line
/// is the multipart boundary, the rest the body.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let newline = bytes.firstIndex(of: 10) else { return 0 }
    let boundary = String(decoding: bytes[..<newline], as: UTF8.self)
    let body = Array(bytes[(newline + 1)...])
    let parsed = try? SendGridInboundParse(maxAttachmentBytes: 1 << 20, ownAddress: "support@example.hu")
        .parse(body, contentType: "multipart/form-data; boundary=\(boundary)")
    if let parsed { _ = EmailReplyText.newText(parsed.text) }
    return 0
}
