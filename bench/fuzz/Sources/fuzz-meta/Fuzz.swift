import Channels
import Foundation

/// Messenger's and WhatsApp's webhook JSON.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    _ = try? MessengerWebhook().parse(body)
    _ = try? WhatsAppWebhook().parse(body)
    return 0
}
