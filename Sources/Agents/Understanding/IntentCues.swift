/// Word beginnings (folded) that hint at an intent, given to the classifier as features of their own so a
/// small labeled set generalises to words it has not seen in that form.
enum IntentCues {
    /// Things a shop sells: a message naming one is about products, whatever else it asks.
    static let productNouns = [
        "telefon", "mobil", "okostelefon", "iphone", "galaxy", "laptop", "notebook", "macbook", "fejhallgat", "fulhallgat",
        "airpods", "hangszoro", "okosora", "ora", "kavefozo", "vizforralo", "turmix", "kenyerpirito", "sutot", "suto",
        "robotgep", "porszivo", "robotporszivo", "mosogep", "vasalo", "serpenyo", "labos", "kes", "bogre", "vagodeszka",
        "polo", "cipo", "futocipo", "sportcipo", "nadrag", "kabat", "pulover", "taska", "hatizsak", "toltot", "tolto",
        "eger", "billentyuzet", "tablet", "monitor", "jatek",
        "phone", "headphone", "earbuds", "speaker", "watch", "coffee", "kettle", "toaster", "airfryer", "vacuum",
        "washing", "iron", "pan", "knife", "mug", "shirt", "shoes", "sneakers", "charger", "mouse", "keyboard",
    ]

    /// Folded phrases that hint at an intent where single words mislead ("pick up in person" is about
    /// shipping methods, not one's order).
    static let phrases: [(intent: String, phrases: [String])] = [
        ("general", [
            "in person", "pick up", "szemelyes atvetel", "szemelyesen", "at lehet venni", "email cim", "e mail cim",
            "hogyan tudok rendelni", "hogyan lehet rendelni", "how do i order", "how can i order", "what can you do",
            "mit tudsz", "which courier", "milyen futar", "csomagautomata", "csomagpont", "foxpost", "szamlat",
            "ceges szamla", "real person or", "are you a", "bot vagy", "nyitvatartas", "opening hours",
        ]),
        ("product_info", ["tell me about", "mondani a", "mesélj", "meselj", "sulya", "merete", "weight of"]),
        ("recommendation", ["goes well with", "illik hozza", "ar ertek", "which is better", "melyik jobb", "best value"]),
        ("order_status", ["my order", "a rendelesem", "rendelesemet", "rendelesemmel", "szallitasi cimet", "a csomagom"]),
    ]

    static let byIntent: [(intent: String, prefixes: [String])] = [
        ("order_status", [
            "rendel", "megrendel", "csomag", "szallitj", "kiszallit", "feladt", "feladj", "futar", "kuldemeny", "nyomon",
            "nyomkov", "csomagkovet", "lemond", "torol", "visszakuld", "visszakap", "visszaterit", "csere", "kicserel",
            "serult", "hianyz", "szamla", "utal", "statusz", "allapot", "megerkez", "kezbesit", "atvet", "fizett",
            "order", "package", "parcel", "track", "shipped", "deliver", "courier", "cancel", "refund", "return",
            "damaged", "arrive", "status", "wrong",
        ]),
        ("handoff", [
            "ember", "ugyintez", "munkatars", "kolleg", "operator", "ugyfelszolg", "panasz", "visszahiv", "felhiv", "vezeto",
            "elo", "szemelyes", "valaki", "gep", "robotbol", "kapcsol",
            "human", "person", "agent", "representative", "complaint", "manager", "someone", "staff", "escalat", "transfer",
            "live", "call",
        ]),
        ("marketing", [
            "akcio", "kupon", "kedvezmeny", "hirlevel", "feliratkoz", "iratkoz", "leiratkoz", "promoci", "huseg", "pont",
            "torzsvasarl", "kiarusit", "black", "reklam", "ertesit", "ujdonsag", "nyeremeny", "kod", "sms", "mail",
            "promotion", "coupon", "discount", "deal", "newsletter", "subscrib", "unsubscrib", "loyalty", "points",
            "offers", "sale", "code", "referral", "marketing",
        ]),
        ("recommendation", [
            "ajanl", "javasol", "valassz", "valaszt", "ajandek", "legjobb", "vegyek", "erdemes", "otlet", "olcsobb",
            "hasonlo", "illik", "mellett", "mellé", "legnepszerubb", "kezdo", "meglep", "szulinap", "karacsony", "mit",
            "recommend", "suggest", "choose", "pick", "gift", "present", "best", "cheaper", "similar", "ideas", "should",
            "which", "value", "beginner",
        ]),
        ("general", [
            "szia", "hello", "hali", "udv", "jo", "koszi", "koszon", "nyitva", "nyitvatart", "fizetesi", "fizetni",
            "kartyaval", "utanvet", "szallitasi", "dij", "kulfold", "elerhet", "telefonszam", "email", "cim", "uzlet",
            "bot", "robot", "regisztr", "viszlat", "rendben", "oke", "ertem", "elallas", "garancialis", "szep", "reszlet",
            "hi", "hey", "thank", "thanks", "opening", "hours", "payment", "pay", "shipping", "abroad", "policy",
            "contact", "located", "account", "morning", "evening", "bye", "ai", "real",
        ]),
        ("product_info", [
            "raktar", "keszlet", "kaphato", "kapni", "mennyibe", "ara", "arat", "szin", "meret", "garanci", "kompatib",
            "akkumulator", "kijelz", "watt", "liter", "anyag", "vizallo", "tartozek", "hasznalhato", "moshato", "van",
            "vannak", "keres", "termek", "milyen", "mekkora", "hany",
            "stock", "price", "much", "colour", "color", "size", "warranty", "compatible", "battery", "screen",
            "material", "waterproof", "sell", "have", "available", "tell", "about",
        ]),
    ]

    /// The intents (bits by position in `byIntent`) whose cue prefixes begin `word`, and whether a product noun's does:
    /// one lookup per prefix of the word instead of a test of every cue.
    static func cues(of word: String) -> (intents: UInt64, productNoun: Bool) {
        var intents: UInt64 = 0
        var productNoun = false
        var end = word.startIndex
        var length = 0
        while end < word.endIndex, length < prefixIndex.longest {
            end = word.index(after: end)
            length += 1
            let prefix = String(word[..<end])
            if let mask = prefixIndex.intents[prefix] { intents |= mask }
            if !productNoun, prefixIndex.productNouns.contains(prefix) { productNoun = true }
        }
        return (intents, productNoun)
    }

    /// Every cue prefix with the intents it hints at, the product nouns, and the longest of them in characters.
    private static let prefixIndex: (intents: [String: UInt64], productNouns: Set<String>, longest: Int) = {
        precondition(byIntent.count <= 64, "one bit an intent")
        var intents: [String: UInt64] = [:]
        for (index, entry) in byIntent.enumerated() {
            for prefix in entry.prefixes { intents[prefix, default: 0] |= 1 << UInt64(index) }
        }
        let longest = (intents.keys.map(\.count) + productNouns.map(\.count)).max() ?? 0
        return (intents, Set(productNouns), longest)
    }()
}
