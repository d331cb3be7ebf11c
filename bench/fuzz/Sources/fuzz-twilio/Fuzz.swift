import Channels
import Foundation

/// Twilio's form-encoded inbound messages and status callbacks.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let form = FormEncoding.decode(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    _ = try? TwilioWebhook().message(form)
    _ = try? TwilioWebhook().status(form)
    return 0
}
