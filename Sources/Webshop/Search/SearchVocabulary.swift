/// Words a search ignores, and English product words with their Hungarian catalog words (all folded).
enum SearchVocabulary {
    static let stopWords: Set<String> = [
        // Hungarian
        "a", "az", "egy", "es", "is", "van", "vannak", "kell", "kellene", "keresek", "szeretnek", "milyen", "mi", "mit",
        "hol", "nincs", "valami", "valamilyen", "nekem", "de", "vagy", "meg", "ami", "amely", "ez", "ezt", "azt",
        "legyen", "lenne", "nektek", "kaphato", "vasarolnek", "venni", "vennek", "szamara", "hogy", "ha", "volna",
        // questions about a product's price and stock, which name no product
        "mikor", "lesz", "ujra", "jon", "raktaron", "keszleten", "mennyibe", "kerul", "mennyi", "rendelheto", "elerheto",
        // English
        "the", "an", "and", "or", "for", "with", "i", "need", "want", "looking", "some", "any", "do", "you", "have",
        "is", "are", "me", "my", "to", "of", "in", "on", "please", "show", "buy", "find", "search", "would", "like",
        "sell", "sells", "selling", "got", "anything", "something", "can", "get", "where", "what", "which", "there",
        "when", "back", "how", "much", "price", "available", "stock",
    ]

    /// English words and two-word phrases → the Hungarian words a Hungarian catalog uses for them.
    static let english: [String: [String]] = [
        "phone": ["telefon", "okostelefon", "mobiltelefon"], "smartphone": ["okostelefon"], "mobile": ["mobiltelefon"],
        "headphone": ["fejhallgato"], "headphones": ["fejhallgato"], "headset": ["fejhallgato"],
        "earphones": ["fulhallgato"], "earbuds": ["fulhallgato"], "notebook": ["laptop", "jegyzetfuzet"],
        "coffee": ["kave"], "coffeemaker": ["kavefozo"], "coffee maker": ["kavefozo"], "espresso": ["kavefozo", "eszpresszo"],
        "vacuum": ["porszivo"], "vacuum cleaner": ["porszivo"], "hoover": ["porszivo"],
        "shirt": ["polo", "ing"], "tshirt": ["polo"], "t shirt": ["polo"], "shoe": ["cipo"], "shoes": ["cipo"],
        "sneakers": ["cipo", "sportcipo"], "running": ["futo", "futas"], "runner": ["futo"], "bike": ["kerekpar"],
        "bicycle": ["kerekpar"], "toy": ["jatek"], "toys": ["jatek"], "game": ["jatek"], "blocks": ["epitojatek", "epitokeszlet"],
        "drill": ["furo", "furogep"], "mower": ["funyiro"], "lawnmower": ["funyiro"], "cream": ["krem"], "face": ["arc"],
        "dog": ["kutya"], "cat": ["macska"], "leash": ["poraz"], "pan": ["serpenyo"], "frying pan": ["serpenyo"],
        "backpack": ["hatizsak"], "watch": ["ora", "okosora"], "smartwatch": ["okosora"], "mouse": ["eger"],
        "keyboard": ["billentyuzet"], "tv": ["televizio", "tv"], "television": ["televizio"], "fridge": ["hutoszekreny", "huto"],
        "washing machine": ["mosogep"], "kettle": ["vizforralo"], "blender": ["turmixgep", "turmix"], "iron": ["vasalo"],
        "jacket": ["kabat", "dzseki"], "dress": ["ruha"], "trousers": ["nadrag"], "pants": ["nadrag"], "jeans": ["farmer"],
        "ball": ["labda"], "tent": ["sator"], "book": ["konyv"], "kitchen": ["konyha", "konyhai"], "garden": ["kert", "kerti"],
        "kids": ["gyerek"], "children": ["gyerek"], "child": ["gyerek"], "women": ["noi"], "womens": ["noi"], "men": ["ferfi"],
        "mens": ["ferfi"], "waterproof": ["vizallo"], "wireless": ["vezetek", "nelkuli"], "light": ["konnyu"],
        "black": ["fekete"], "white": ["feher"], "blue": ["kek"], "green": ["zold"], "red": ["piros"], "grey": ["szurke"],
        "gray": ["szurke"], "pink": ["rozsaszin"], "beige": ["bezs"], "yellow": ["sarga"], "brown": ["barna"],
        "bag": ["taska"], "towel": ["torolkozo"], "lamp": ["lampa"], "chair": ["szek"], "table": ["asztal"],
        "speaker": ["hangszoro"], "charger": ["tolto"], "cable": ["kabel"], "camera": ["kamera", "fenykepezogep"],
        "tablet": ["tablet"], "sport": ["sport"], "yoga": ["joga"], "mat": ["matrac", "szonyeg"], "puzzle": ["kirako", "puzzle"],
        "doll": ["baba"], "car": ["auto"], "bottle": ["kulacs", "palack"], "helmet": ["sisak"], "gloves": ["kesztyu"],
    ]
}
