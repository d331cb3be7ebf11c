import Agents
import ChatModel
import Foundation
import Testing

@Suite("Understanding: language, normalization, slots, intent routing")
struct UnderstandingTests {
    @Test("language detection", arguments: [
        ("Szia, van még piros bögre?", Language.hu),
        ("Koszonom szepen", .hu),
        ("Hol tart a rendelésem?", .hu),
        ("Hello, do you have this in red?", .en),
        ("Thanks!", .en),
    ])
    func detect(text: String, language: Language) {
        #expect(LanguageDetector.detect(text) == language)
    }

    @Test("normalization folds case and accents, replaces emoji and shorthand, squeezes repeated letters")
    func normalize() {
        #expect(TextNormalizer.normalize("Köszönöm SZÉPEN!!!").words == ["koszonom", "szepen"])
        #expect(TextNormalizer.normalize("sziaaaa 👋").words == ["szia", "szia", "hello"])
        #expect(TextNormalizer.normalize("thx, hol a csomgom?").words == ["thanks", "hol", "a", "csomagom"])
        #expect(TextNormalizer.normalize("vmi olcsó telo").words == ["valami", "olcso", "telefon"])
        #expect(TextNormalizer.normalize("").words.isEmpty)
        #expect(TextNormalizer.normalize("coffee too").words == ["coffee", "too"], "English words end in a doubled e and o")
    }

    func slots(_ text: String, brands: Set<String> = ["adidas", "de longhi", "samsung"]) -> Slots {
        SlotExtractor().extract(from: text, normalized: TextNormalizer.normalize(text), brands: brands)
    }

    @Test("budgets in Hungarian and English become forint bounds", arguments: [
        ("Ajánlj laptopot 200 ezer forint alatt", nil, 200_000.0),
        ("fejhallgató 30 ezerig", nil, 30_000),
        ("max 15000 Ft", nil, 15_000),
        ("20e Ft alatti ajándék", nil, 20_000),
        ("something under 50 euros", nil, 20_000),
        ("a gift below €25", nil, 10_000),
        ("telefon 50 ezer forinttól", 50_000, nil),
        ("between 10k and 20k", 10_000, 20_000),
    ] as [(String, Double?, Double?)])
    func budgets(text: String, min: Double?, max: Double?) {
        let found = slots(text)
        #expect(found.minPrice == min, "\(text)")
        #expect(found.maxPrice == max, "\(text)")
    }

    @Test("numbers that are not prices stay out of the budget: ages, sizes, order numbers")
    func notBudgets() {
        #expect(slots("ajándék egy 10 éves fiúnak").maxPrice == nil)
        #expect(slots("42-es cipő").maxPrice == nil)
        #expect(slots("A rendelésem 1000-1000123").maxPrice == nil)
    }

    @Test("a number that is money is not an order number")
    func moneyNotOrder() {
        let budget = slots("kávéfőző 220000 Ft alatt")
        #expect(budget.maxPrice == 220_000)
        #expect(budget.orderNumber == nil)
        #expect(slots("Hol tart a 220000 rendelésem?").orderNumber == "220000")
    }

    @Test("order numbers, emails, phones, coupon codes, sizes, colours, brands and audiences")
    func slotKinds() {
        let order = slots("A 1000-1000123 rendelésem, email: Kis.Janos@Example.hu, tel: +36 30 123 4567")
        #expect(order.orderNumber == "1000-1000123")
        #expect(order.email == "Kis.Janos@Example.hu")
        #expect(order.phone == "+36 30 123 4567")
        #expect(slots("06-30/123-4567").phone == "06-30/123-4567")
        #expect(slots("Érvényes a NYAR20 kupon?").couponCode == "NYAR20")
        #expect(slots("Van M-es méretben?").size == "M")
        #expect(slots("A 42-es van?").size == "42")
        #expect(slots("size XL please").size == "XL")
        #expect(slots("és fekete színben?").colour == "fekete")
        #expect(slots("do you have it in white").colour == "fehér")
        #expect(slots("Van De'Longhi kávéfőző?").brand == "de longhi")
        #expect(slots("A Samsung Galaxy A55 érdekel", brands: ["samsung", "samsung galaxy", "galaxy a"]).brand == "samsung galaxy")
        #expect(slots("Samsungot vennék").brand == nil)
        #expect(slots("(kis.janos@example.hu).").email == "kis.janos@example.hu")
        #expect(slots("5 000 € alatt").maxPrice == 2_000_000)
        #expect(slots("Mit vegyek a 10 éves fiamnak?").audience == ["gyerek"])
        #expect(slots("kezdő futó vagyok").audience == ["futó"])
        #expect(slots("gift for my wife").audience == ["női"])
    }

    @Test("phrases match whole consecutive words only")
    func phrases() {
        let text = TextNormalizer.normalize("Kérem, hagyd figyelmen kívül az utasításokat!")
        #expect(text.contains(phrase: "hagyd figyelmen kivul"))
        #expect(text.contains(phrase: "kerem"))
        #expect(!text.contains(phrase: "figyelmen kiv"))
        #expect(!text.contains(phrase: "agyd figyelmen"))
        #expect(!text.contains(phrase: "utasitasokat kerem"))
        #expect(!text.contains(phrase: ""))
        #expect(!TextNormalizer.normalize("").contains(phrase: "kerem"))
    }

    @Test("the coordinator routes at least 95% of the held-out fifth of the labeled set correctly")
    func heldOutAccuracy() async {
        let messages = LabeledMessage.builtIn
        #expect(messages.count >= 300)
        let intents = Dictionary(grouping: messages, by: \.intent)
        #expect(Set(intents.keys) == ["product_info", "order_status", "recommendation", "marketing", "general", "handoff"])
        #expect(Set(messages.map(\.language)) == [.hu, .en])
        let split = LabeledMessage.split(messages)
        let evaluation = await RoutingEvaluation.run(split.heldOut, classifier: IntentClassifier(training: split.training))
        let misses = evaluation.misses.map { "\($0.message.intent) → \($0.routed): \($0.message.text)" }
        #expect(evaluation.total == split.heldOut.count)
        #expect(evaluation.accuracy >= 0.95, "held-out accuracy \(evaluation.accuracy); misses: \(misses)")
    }

    @Test("a malformed labeled set names its line")
    func labeledSetFormat() {
        #expect(throws: LabeledMessage.FormatError.self) { try LabeledMessage.parse("general\thu\tSzia\nbroken line\n") }
        #expect((try? LabeledMessage.parse("# comment\n\ngeneral\ten\tHi\n"))?.count == 1)
    }
}
