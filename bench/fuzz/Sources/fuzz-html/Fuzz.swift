import Markup

/// HTML to text: mail bodies and product descriptions.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let html = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = HTMLText.mail(html)
    _ = HTMLText.words(html)
    return 0
}
