/// A WhatsApp Cloud API notification as Meta sends it (docs/channels.md §2.2–2.4); only what the gateway reads.
struct WhatsAppWebhookPayload: Decodable {
    var object: String
    var entry: [Entry]

    struct Entry: Decodable {
        var id: String?
        var changes: [Change]?
    }

    struct Change: Decodable {
        var field: String?
        var value: Value?
    }

    struct Value: Decodable {
        var metadata: Metadata?
        var contacts: [Contact]?
        var messages: [Message]?
        var statuses: [Status]?
        var errors: [WireError]?
        /// `smb_message_echoes`: what a person sent from the WhatsApp Business app on the same number.
        var messageEchoes: [Message]?

        enum CodingKeys: String, CodingKey {
            case metadata, contacts, messages, statuses, errors
            case messageEchoes = "message_echoes"
        }
    }

    struct Metadata: Decodable {
        var phoneNumberID: String
        var displayPhoneNumber: String?

        enum CodingKeys: String, CodingKey {
            case phoneNumberID = "phone_number_id"
            case displayPhoneNumber = "display_phone_number"
        }
    }

    struct Contact: Decodable {
        struct Profile: Decodable { var name: String? }
        var profile: Profile?
        var waID: String?

        enum CodingKeys: String, CodingKey {
            case profile
            case waID = "wa_id"
        }
    }

    struct Message: Decodable {
        var from: String?
        /// The customer, on an echo of a message sent to them.
        var to: String?
        var id: String
        var timestamp: String
        var type: String
        var text: Text?
        var interactive: Interactive?
        var button: Button?
        var image: Media?
        var video: Media?
        var audio: Media?
        var document: Media?
        var sticker: Media?
        var location: Location?
        var reaction: Reaction?
        var contacts: [SharedContact]?
        var order: Order?
        var context: Context?
    }

    /// A cart the customer sent from the catalog (after a product carousel).
    struct Order: Decodable {
        struct Item: Decodable {
            var productRetailerID: String
            var quantity: Int?
            var itemPrice: Double?
            var currency: String?

            enum CodingKeys: String, CodingKey {
                case productRetailerID = "product_retailer_id"
                case quantity
                case itemPrice = "item_price"
                case currency
            }
        }
        var text: String?
        var productItems: [Item]?

        enum CodingKeys: String, CodingKey {
            case text
            case productItems = "product_items"
        }
    }

    struct Text: Decodable { var body: String }

    struct Interactive: Decodable {
        struct Reply: Decodable {
            var id: String
            var title: String?
        }
        var type: String
        var buttonReply: Reply?
        var listReply: Reply?

        enum CodingKeys: String, CodingKey {
            case type
            case buttonReply = "button_reply"
            case listReply = "list_reply"
        }
    }

    /// A tap on an approved template's quick-reply button.
    struct Button: Decodable {
        var payload: String?
        var text: String?
    }

    struct Media: Decodable {
        var id: String?
        var mimeType: String?
        var caption: String?
        var filename: String?
        var voice: Bool?
        var url: String?

        enum CodingKeys: String, CodingKey {
            case id, caption, filename, voice, url
            case mimeType = "mime_type"
        }
    }

    struct Location: Decodable {
        var latitude: Double
        var longitude: Double
        var name: String?
        var address: String?
    }

    struct Reaction: Decodable {
        var messageID: String
        var emoji: String?

        enum CodingKeys: String, CodingKey {
            case messageID = "message_id"
            case emoji
        }
    }

    struct SharedContact: Decodable {
        struct Name: Decodable {
            var formattedName: String?
            enum CodingKeys: String, CodingKey { case formattedName = "formatted_name" }
        }
        struct Phone: Decodable { var phone: String? }
        var name: Name?
        var phones: [Phone]?
    }

    struct Context: Decodable {
        var id: String?
    }

    struct Status: Decodable {
        var id: String
        var status: String
        var timestamp: String
        var recipientID: String?
        var errors: [WireError]?
        /// What we put in the send's `biz_opaque_callback_data`: its idempotency key.
        var callbackData: String?

        enum CodingKeys: String, CodingKey {
            case id, status, timestamp, errors
            case recipientID = "recipient_id"
            case callbackData = "biz_opaque_callback_data"
        }
    }

    struct WireError: Decodable {
        var code: Int?
        var title: String?
    }
}
