import Foundation

/// The approved message templates an agent may name (`templates/whatsapp/*.yml`), mapped to what
/// WhatsApp Manager approved: the template's name there, its language, and its quick-reply payloads.
public struct WhatsAppTemplates: Sendable, Hashable {
    /// One approved template.
    public struct Template: Sendable, Hashable {
        /// The name approved in WhatsApp Manager.
        public var approvedName: String
        /// The language code it was approved in (`hu`, `en_US`).
        public var language: String
        /// How many `{{n}}` parameters its body takes.
        public var bodyParameters: Int
        /// The payloads of its quick-reply buttons, in button order.
        public var buttonPayloads: [String]

        public init(approvedName: String, language: String, bodyParameters: Int = 0, buttonPayloads: [String] = []) {
            self.approvedName = approvedName
            self.language = language
            self.bodyParameters = bodyParameters
            self.buttonPayloads = buttonPayloads
        }
    }

    /// Templates by the name agents use.
    public var byName: [String: Template]

    public init(_ byName: [String: Template] = [:]) {
        self.byName = byName
    }

    /// The request body of template `name` with `parameters` for `recipient`, or nil when no such
    /// template is configured or the parameters do not fit it.
    public func body(_ name: String, parameters: [String], to recipient: String) -> WhatsAppMessage? {
        guard let template = byName[name], parameters.count == template.bodyParameters else { return nil }
        typealias Component = WhatsAppMessage.Template.Component
        var components: [Component] = []
        if !parameters.isEmpty {
            components.append(Component(type: "body", parameters: parameters.map { .init(type: "text", text: $0) }))
        }
        for (index, payload) in template.buttonPayloads.enumerated() {
            components.append(
                Component(type: "button", subType: "quick_reply", index: String(index), parameters: [.init(type: "payload", payload: payload)]))
        }
        var message = WhatsAppMessage(to: recipient, type: "template")
        message.template = WhatsAppMessage.Template(
            name: template.approvedName, language: .init(code: template.language), components: components.isEmpty ? nil : components)
        return message
    }
}
