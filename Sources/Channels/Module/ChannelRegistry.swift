/// Every platform channel the gateway can run, in the order `check-config` lists them. Adding a
/// channel is one line here and a folder of its own.
public enum ChannelRegistry {
    public static let modules: [any ChannelModule.Type] = [
        MessengerModule.self,
        WhatsAppModule.self,
        SMSModule.self,
        EmailModule.self,
        TelegramModule.self,
    ]
}
