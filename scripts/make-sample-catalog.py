#!/usr/bin/env python3
"""Writes demo/catalog/sample-unas.xml: the sample catalog ChatBuddy loads with --demo, a small
Hungarian webshop in the UNAS getProduct shape (docs/channels.md §5.2). Edit the lists below and run it again.

usage: scripts/make-sample-catalog.py [PATH]
"""
import sys
from xml.sax.saxutils import escape

SHOP = "https://shop.example.hu"

# (category path, image, [(sku, name, brand, gross price, sale price or None, stock, description, params, variants)])
CATALOG = [
    ("Műszaki|Mobiltelefonok", "electronics", [
        ("TEL-001", "Samsung Galaxy A55 okostelefon 128 GB", "Samsung", 149990, 134990, 12, "6,6 hüvelykes AMOLED kijelző, 50 MP kamera, 5000 mAh akkumulátor.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("TEL-002", "Xiaomi Redmi Note 13 okostelefon 256 GB", "Xiaomi", 99990, None, 20, "120 Hz-es kijelző, gyorstöltés, két SIM-kártya.", {"Szín": "kék", "Garancia": "2 év"}, {}),
        ("TEL-003", "Apple iPhone 15 128 GB", "Apple", 379990, None, 4, "A16 Bionic chip, USB-C csatlakozó, 48 MP kamera.", {"Szín": "fekete", "Garancia": "1 év"}, {}),
        ("TEL-004", "Nokia 105 nyomógombos mobiltelefon", "Nokia", 11990, 9990, 35, "Egyszerű, strapabíró telefon hosszú üzemidővel idősebbeknek.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("TEL-005", "Samsung 25 W gyorstöltő adapter USB-C", "Samsung", 6990, None, 60, "Gyorstöltő fali adapter USB-C kábellel.", {"Garancia": "1 év"}, {}),
    ]),
    ("Műszaki|Fejhallgatók", "electronics", [
        ("FH-001", "Sony WH-1000XM5 vezeték nélküli zajszűrős fejhallgató", "Sony", 139990, 119990, 6, "Aktív zajszűrés, 30 órás üzemidő, Bluetooth 5.2.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("FH-002", "JBL Tune 520BT vezeték nélküli fejhallgató", "JBL", 19990, None, 25, "Könnyű, összecsukható, 57 óra zenehallgatás.", {"Szín": "kék", "Garancia": "2 év"}, {}),
        ("FH-003", "Apple AirPods Pro 2 fülhallgató", "Apple", 99990, None, 9, "Aktív zajszűrés, MagSafe töltőtok, vízálló.", {"Szín": "fehér", "Garancia": "1 év"}, {}),
        ("FH-004", "Xiaomi Redmi Buds 5 fülhallgató", "Xiaomi", 14990, 11990, 40, "Vezeték nélküli fülhallgató zajszűréssel, 40 óra üzemidő.", {"Szín": "fehér", "Garancia": "2 év"}, {}),
        ("FH-005", "Sony gyerek fejhallgató hangerőkorláttal", "Sony", 8990, None, 0, "85 dB-es hangerőkorlát, puha fülpárnák, gyerekeknek.", {"Szín": "rózsaszín", "Garancia": "2 év"}, {}),
    ]),
    ("Műszaki|Laptopok", "electronics", [
        ("LAP-001", "Lenovo IdeaPad Slim 3 laptop 15,6\" 16 GB", "Lenovo", 249990, 229990, 7, "Intel Core i5, 16 GB RAM, 512 GB SSD, Full HD kijelző.", {"Garancia": "2 év", "Operációs rendszer": "Windows 11"}, {}),
        ("LAP-002", "Apple MacBook Air 13\" M3", "Apple", 459990, None, 3, "M3 chip, 8 GB RAM, 256 GB SSD, 18 órás akkumulátor.", {"Szín": "ezüst", "Garancia": "1 év"}, {}),
        ("LAP-003", "HP 250 G9 laptop 15,6\" 8 GB", "HP", 169990, None, 10, "Intel Core i3, 8 GB RAM, 256 GB SSD, irodai munkára.", {"Garancia": "3 év"}, {}),
        ("LAP-004", "Logitech M185 vezeték nélküli egér", "Logitech", 4990, None, 80, "Kompakt vezeték nélküli egér, egy elemmel egy évig működik.", {"Szín": "szürke", "Garancia": "3 év"}, {}),
        ("LAP-005", "Logitech K120 billentyűzet magyar kiosztással", "Logitech", 4490, None, 50, "Vezetékes USB billentyűzet, csendes gombok, magyar kiosztás.", {"Garancia": "3 év"}, {}),
    ]),
    ("Műszaki|Okosórák", "electronics", [
        ("ORA-001", "Samsung Galaxy Watch6 okosóra 40 mm", "Samsung", 99990, 84990, 8, "Pulzus- és alvásmérés, GPS, vízálló.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("ORA-002", "Xiaomi Smart Band 8 aktivitásmérő", "Xiaomi", 12990, None, 45, "AMOLED kijelző, 16 napos üzemidő, 150 sportmód.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("ORA-003", "Garmin Forerunner 55 futóóra", "Garmin", 79990, None, 5, "GPS-es futóóra edzéstervvel kezdő és haladó futóknak.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("ORA-004", "Garmin Venu Sq 2 okosóra", "Garmin", 89990, None, 0, "Egészségfigyelés, zenelejátszás, 11 napos üzemidő.", {"Szín": "bézs", "Garancia": "2 év"}, {}),
        ("ORA-005", "JBL Flip 6 hordozható Bluetooth hangszóró", "JBL", 44990, 39990, 14, "Vízálló hangszóró 12 óra zenével, strandra és kirándulásra.", {"Szín": "piros", "Garancia": "2 év"}, {}),
    ]),
    ("Háztartás|Konyhai kisgépek", "household", [
        ("KG-001", "Philips Series 2200 automata kávéfőző", "Philips", 129990, 109990, 6, "Automata eszpresszó kávéfőző tejhabosítóval, kerámia daráló.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("KG-002", "De'Longhi Dedica eszpresszó kávéfőző", "De'Longhi", 69990, None, 9, "Karos kávéfőző, 15 bar, keskeny kialakítás, gőzölőcső.", {"Szín": "ezüst", "Garancia": "2 év"}, {}),
        ("KG-003", "Tefal filteres kávéfőző 1,25 l", "Tefal", 14990, 12990, 22, "Filteres kávéfőző 10-15 csészéhez, melegen tartó lappal.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("KG-004", "Bosch vízforraló 1,7 l", "Bosch", 12990, None, 30, "2400 W, vízkőszűrő, vezeték nélküli talp.", {"Szín": "fehér", "Garancia": "2 év"}, {}),
        ("KG-005", "Philips turmixgép 2 l", "Philips", 24990, None, 11, "800 W, jégtörő funkció, mosogatógépben mosható kancsó.", {"Szín": "fehér", "Garancia": "2 év"}, {}),
        ("KG-006", "Tefal Easy Fry forrólevegős sütő 4,2 l", "Tefal", 39990, 32990, 15, "Olaj nélküli sütés, 8 program, digitális kijelző.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
        ("KG-007", "Bosch konyhai robotgép MUM5", "Bosch", 89990, None, 4, "1000 W, dagasztó, habverő, húsdaráló tartozékkal.", {"Szín": "fehér", "Garancia": "2 év"}, {}),
        ("KG-008", "Philips kenyérpirító", "Philips", 11990, None, 0, "Két szelet, 8 pirítási fokozat, zsemlemelegítő rács.", {"Szín": "fekete", "Garancia": "2 év"}, {}),
    ]),
    ("Háztartás|Porszívók", "household", [
        ("PS-001", "Philips 3000 porzsák nélküli porszívó", "Philips", 39990, None, 10, "900 W, ciklonos technológia, HEPA szűrő.", {"Szín": "kék", "Garancia": "2 év"}, {}),
        ("PS-002", "Xiaomi Robot Vacuum S10 robotporszívó", "Xiaomi", 89990, 74990, 6, "Lézeres navigáció, felmosó funkció, applikációs vezérlés.", {"Szín": "fehér", "Garancia": "2 év"}, {}),
        ("PS-003", "Bosch Unlimited 7 akkus porszívó", "Bosch", 119990, None, 3, "Vezeték nélküli álló porszívó cserélhető akkuval, 40 perc.", {"Szín": "fehér", "Garancia": "2 év"}, {}),
        ("PS-004", "Tefal X-Pert 6.60 kézi porszívó", "Tefal", 69990, None, 0, "Könnyű, 2 az 1-ben kézi és álló porszívó.", {"Szín": "szürke", "Garancia": "2 év"}, {}),
    ]),
    ("Háztartás|Konyhai eszközök", "household", [
        ("KE-001", "Tefal Ingenio 3 részes serpenyő készlet", "Tefal", 24990, 19990, 18, "Levehető nyelű tapadásmentes serpenyők, indukciós főzőlapra is.", {"Garancia": "2 év"}, {}),
        ("KE-002", "Tefal Daily Cook lábos 20 cm", "Tefal", 12990, None, 14, "Rozsdamentes acél lábos üvegfedővel.", {"Garancia": "2 év"}, {}),
        ("KE-003", "Fiskars Functional Form konyhakés", "Fiskars", 7990, None, 25, "Japán acélból készült szakácskés, 20 cm.", {"Garancia": "5 év"}, {}),
        ("KE-004", "Kávés bögre szett 4 darabos", "Home", 4990, None, 40, "Kerámia bögrék 300 ml, mikróba és mosogatógépbe tehetők.", {"Szín": "fehér"}, {}),
        ("KE-005", "Bambusz vágódeszka készlet", "Home", 5990, 4490, 33, "Három méretű bambusz vágódeszka, antibakteriális.", {}, {}),
    ]),
    ("Háztartás|Mosás és vasalás", "household", [
        ("MV-001", "Philips Azur gőzölős vasaló", "Philips", 29990, None, 12, "2600 W, 50 g/perc gőz, vízkőmentesítő.", {"Szín": "kék", "Garancia": "2 év"}, {}),
        ("MV-002", "Bosch Serie 4 elöltöltős mosógép 8 kg", "Bosch", 189990, 169990, 2, "1400 fordulat/perc, A energiaosztály, gőzprogram.", {"Szín": "fehér", "Garancia": "3 év"}, {}),
        ("MV-003", "Ruhaszárító állvány", "Home", 8990, None, 20, "Összecsukható ruhaszárító 18 méter szárítófelülettel.", {}, {}),
    ]),
    ("Divat|Pólók", "fashion", [
        ("PL-001", "Adidas Essentials férfi póló", "Adidas", 9990, 7990, 30, "Pamut póló klasszikus szabással, hímzett logóval.", {"Szín": "fekete", "Anyag": "100% pamut"}, {"Méret": ["S", "M", "L", "XL"]}),
        ("PL-002", "Nike Dri-FIT női sportpóló", "Nike", 12990, None, 18, "Nedvességelvezető anyag, edzéshez és futáshoz.", {"Szín": "rózsaszín", "Anyag": "poliészter"}, {"Méret": ["XS", "S", "M", "L"]}),
        ("PL-003", "Puma gyerek póló", "Puma", 5990, None, 26, "Puha pamut póló gyerekeknek, 110–164 cm.", {"Szín": "kék", "Anyag": "100% pamut"}, {"Méret": ["116", "128", "140", "152", "164"]}),
        ("PL-004", "Tommy Hilfiger férfi galléros póló", "Tommy Hilfiger", 29990, 23990, 7, "Piké galléros póló slim szabással.", {"Szín": "fehér", "Anyag": "pamut"}, {"Méret": ["M", "L", "XL"]}),
        ("PL-005", "Levi's női póló", "Levi's", 11990, None, 0, "Bő szabású pamut póló batwing logóval.", {"Szín": "fehér", "Anyag": "100% pamut"}, {"Méret": ["XS", "S", "M"]}),
    ]),
    ("Divat|Cipők", "fashion", [
        ("CP-001", "Nike Air Max SC férfi sportcipő", "Nike", 34990, 29990, 10, "Légpárnás sportcipő hétköznapokra.", {"Szín": "fehér"}, {"Méret": ["41", "42", "43", "44", "45"]}),
        ("CP-002", "Adidas Grand Court női sportcipő", "Adidas", 27990, None, 12, "Bőr hatású tenisz ihletésű cipő.", {"Szín": "fehér"}, {"Méret": ["37", "38", "39", "40"]}),
        ("CP-003", "Skechers Go Walk női bebújós cipő", "Skechers", 24990, None, 8, "Könnyű, rugalmas talp, memóriahabos talpbetét.", {"Szín": "fekete"}, {"Méret": ["36", "37", "38", "39", "40", "41"]}),
        ("CP-004", "Timberland férfi bakancs", "Timberland", 69990, 55990, 5, "Vízálló nubukbőr bakancs télre.", {"Szín": "barna"}, {"Méret": ["41", "42", "43", "44", "45", "46"]}),
        ("CP-005", "Crocs Classic gyerek papucs", "Crocs", 14990, None, 0, "Könnyű, vízálló papucs strandra és kertbe.", {"Szín": "zöld"}, {"Méret": ["27", "29", "31", "33"]}),
    ]),
    ("Divat|Kabátok", "fashion", [
        ("KB-001", "Columbia férfi télikabát", "Columbia", 79990, 63990, 6, "Vízálló, bélelt télikabát levehető kapucnival.", {"Szín": "fekete"}, {"Méret": ["M", "L", "XL", "XXL"]}),
        ("KB-002", "The North Face női pehelykabát", "The North Face", 99990, None, 4, "Könnyű, összecsomagolható pehelykabát.", {"Szín": "piros"}, {"Méret": ["XS", "S", "M", "L"]}),
        ("KB-003", "Decathlon gyerek esőkabát", "Quechua", 9990, None, 22, "Vízálló esőkabát túrázáshoz, 7–15 éveseknek.", {"Szín": "sárga"}, {"Méret": ["122", "134", "146", "158"]}),
        ("KB-004", "Levi's férfi farmerdzseki", "Levi's", 39990, None, 9, "Klasszikus trucker fazonú farmerdzseki.", {"Szín": "kék"}, {"Méret": ["S", "M", "L", "XL"]}),
    ]),
    ("Divat|Táskák", "fashion", [
        ("TS-001", "Samsonite hátizsák laptoptartóval 15,6\"", "Samsonite", 39990, None, 11, "Vízlepergető hátizsák párnázott laptop rekesszel.", {"Szín": "fekete"}, {}),
        ("TS-002", "Eastpak Padded Pak'r hátizsák", "Eastpak", 19990, 16990, 16, "Klasszikus iskolatáska 24 l, 30 év garanciával.", {"Szín": "kék", "Garancia": "30 év"}, {}),
        ("TS-003", "Guess női kézitáska", "Guess", 44990, None, 5, "Műbőr kézitáska levehető vállpánttal.", {"Szín": "bézs"}, {}),
    ]),
    ("Sport|Futás", "sport", [
        ("FT-001", "Asics Gel-Contend 8 férfi futócipő", "Asics", 32990, 26990, 14, "Párnázott futócipő kezdő futóknak, aszfaltra.", {"Szín": "fekete"}, {"Méret": ["41", "42", "43", "44", "45"]}),
        ("FT-002", "Nike Revolution 7 női futócipő", "Nike", 27990, None, 9, "Könnyű futócipő mindennapi edzéshez.", {"Szín": "rózsaszín"}, {"Méret": ["37", "38", "39", "40"]}),
        ("FT-003", "Brooks Ghost 16 férfi futócipő", "Brooks", 59990, None, 4, "Semleges futócipő hosszú távokra, haladóknak.", {"Szín": "kék"}, {"Méret": ["42", "43", "44", "45"]}),
        ("FT-004", "Salomon Speedcross 6 terepfutó cipő", "Salomon", 54990, 46990, 3, "Terepfutó cipő erős tapadással sárban is.", {"Szín": "zöld"}, {"Méret": ["41", "42", "43", "44"]}),
        ("FT-005", "Kalenji futó övtáska kulacstartóval", "Kalenji", 6990, None, 28, "Futóöv telefonnak és kulcsnak, 250 ml kulaccsal.", {"Szín": "fekete"}, {}),
        ("FT-006", "Adidas női futónadrág", "Adidas", 14990, None, 0, "Rugalmas futó leggings fényvisszaverő csíkkal.", {"Szín": "fekete"}, {"Méret": ["XS", "S", "M", "L"]}),
    ]),
    ("Sport|Kerékpárok", "sport", [
        ("KP-001", "Neuzer Nelson 18 sebességes trekking kerékpár", "Neuzer", 149990, 129990, 5, "Alumínium vázas trekking kerékpár sárvédővel és csomagtartóval.", {"Szín": "szürke", "Garancia": "2 év"}, {"Vázméret": ["M", "L"]}),
        ("KP-002", "Csepel Woodlands 24\" gyerek kerékpár", "Csepel", 89990, None, 6, "Mountain bike 8–12 éves gyerekeknek, 21 sebesség.", {"Szín": "kék", "Garancia": "2 év"}, {}),
        ("KP-003", "Btwin futóbicikli 2–4 éveseknek", "Btwin", 19990, None, 12, "Könnyű futóbicikli állítható üléssel.", {"Szín": "piros"}, {}),
        ("KP-004", "Kerékpáros bukósisak felnőtt", "Btwin", 12990, 9990, 20, "Szellőzőnyílásos sisak LED hátsó lámpával.", {"Szín": "fekete"}, {"Méret": ["M", "L"]}),
        ("KP-005", "Kerékpár lakat spirál 120 cm", "Abus", 6990, None, 35, "Kódos spirálzár 120 cm, 10 mm vastag.", {}, {}),
    ]),
    ("Sport|Fitnesz", "sport", [
        ("FI-001", "Domyos jógaszőnyeg 8 mm", "Domyos", 7990, None, 30, "Csúszásmentes, vastag jógaszőnyeg hordozópánttal.", {"Szín": "lila"}, {}),
        ("FI-002", "Állítható kézisúlyzó készlet 20 kg", "Domyos", 29990, 24990, 7, "Két súlyzórúd tárcsákkal, otthoni edzéshez.", {}, {}),
        ("FI-003", "Gymstick fitness gumiszalag szett", "Gymstick", 8990, None, 25, "Három erősségű gumiszalag edzésleírással.", {}, {}),
        ("FI-004", "Kettlebell 12 kg", "Domyos", 14990, None, 0, "Öntöttvas kettlebell vinil bevonattal.", {}, {}),
        ("FI-005", "Decathlon fitnesz labda 65 cm", "Domyos", 5990, None, 18, "Gimnasztikai labda pumpával, 170 cm felett 75 cm javasolt.", {"Szín": "szürke"}, {}),
    ]),
    ("Sport|Túrázás", "sport", [
        ("TU-001", "Quechua 2 személyes sátor", "Quechua", 29990, 24990, 8, "Két másodperc alatt felállítható sátor, vízálló.", {"Szín": "zöld"}, {}),
        ("TU-002", "Quechua hálózsák 10 °C", "Quechua", 14990, None, 15, "Könnyű hálózsák nyári túrákra.", {"Szín": "kék"}, {}),
        ("TU-003", "Sigg alumínium kulacs 0,75 l", "Sigg", 9990, None, 40, "Szivárgásmentes kulacs, BPA-mentes.", {"Szín": "piros"}, {}),
        ("TU-004", "Forclaz túrabot pár", "Forclaz", 11990, None, 12, "Állítható alumínium túrabotok.", {}, {}),
    ]),
    ("Játék|Építőjátékok", "toys", [
        ("JT-001", "LEGO City rendőrkapitányság 60316", "LEGO", 34990, 29990, 7, "668 elemes készlet 6 éves kortól, 5 minifigurával.", {"Korosztály": "6+ év"}, {}),
        ("JT-002", "LEGO Technic Ford Mustang 42138", "LEGO", 19990, None, 5, "544 elemes Technic autó 9 éves kortól.", {"Korosztály": "9+ év"}, {}),
        ("JT-003", "LEGO Duplo számvonat 10954", "LEGO", 12990, None, 14, "Számtanuló vonat kisgyerekeknek, 1,5 éves kortól.", {"Korosztály": "1,5+ év"}, {}),
        ("JT-004", "LEGO Friends Heartlake City iskola", "LEGO", 44990, 38990, 3, "Nagy építőkészlet lányoknak és fiúknak 8 éves kortól.", {"Korosztály": "8+ év"}, {}),
        ("JT-005", "Mágneses építőjáték 64 darabos", "Magformers", 24990, None, 9, "Mágneses építőelemek a térlátás fejlesztésére.", {"Korosztály": "3+ év"}, {}),
    ]),
    ("Játék|Társasjátékok", "toys", [
        ("TJ-001", "Catan telepesei társasjáték", "Piatnik", 14990, None, 11, "Stratégiai társasjáték 3–4 játékosnak, 10 éves kortól.", {"Korosztály": "10+ év", "Játékosok": "3–4"}, {}),
        ("TJ-002", "Activity Original társasjáték", "Piatnik", 11990, 9990, 16, "Rajzolás, mutogatás, körülírás: családi parti játék.", {"Korosztály": "12+ év"}, {}),
        ("TJ-003", "Ticket to Ride Európa", "Days of Wonder", 16990, None, 6, "Vasútépítő társasjáték 8 éves kortól.", {"Korosztály": "8+ év"}, {}),
        ("TJ-004", "Dobble kártyajáték", "Asmodee", 4990, None, 30, "Gyors reflexjáték 2–8 játékosnak, 6 éves kortól.", {"Korosztály": "6+ év"}, {}),
        ("TJ-005", "Ravensburger puzzle 1000 darabos Budapest", "Ravensburger", 5990, None, 0, "Kirakós játék a budapesti Parlamenttel.", {"Korosztály": "12+ év"}, {}),
    ]),
    ("Játék|Plüss és babák", "toys", [
        ("PB-001", "Barbie Dreamhouse babaház", "Mattel", 79990, 69990, 2, "Háromszintes babaház lifttel és medencével.", {"Korosztály": "3+ év"}, {}),
        ("PB-002", "Plüss maci 40 cm", "Teddy", 6990, None, 25, "Puha plüss maci, születéstől ajánlott.", {"Szín": "barna", "Korosztály": "0+ év"}, {}),
        ("PB-003", "Baby Born interaktív baba", "Zapf", 24990, None, 7, "Iszik, sír és pisil: interaktív baba kiegészítőkkel.", {"Korosztály": "3+ év"}, {}),
    ]),
    ("Játék|Kültéri játékok", "toys", [
        ("KJ-001", "Hot Wheels autópálya pályaszett", "Mattel", 17990, 14990, 10, "Hurkos autópálya két kisautóval.", {"Korosztály": "5+ év"}, {}),
        ("KJ-002", "Távirányítós terepjáró autó", "Revell", 14990, None, 8, "2,4 GHz távirányító, 20 km/h, tölthető akku.", {"Korosztály": "8+ év"}, {}),
        ("KJ-003", "Gyerek roller LED kerekekkel", "Oxelo", 12990, None, 13, "Összecsukható roller világító kerekekkel.", {"Szín": "kék", "Korosztály": "5+ év"}, {}),
        ("KJ-004", "Focilabda 5-ös méret", "Adidas", 7990, None, 22, "Varrott focilabda edzésre és játékra.", {"Szín": "fehér"}, {}),
    ]),
]


CATEGORY_IDS = {category: 500 + index for index, (category, _, _) in enumerate(CATALOG)}


def cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def product(pid, category, image, item):
    sku, name, brand, gross, sale, stock, description, params, variants = item
    net = round(gross / 1.27, 4)
    prices = f"<Price><Type>normal</Type><Net>{net}</Net><Gross>{gross}</Gross></Price>"
    if sale:
        prices += (f"<Price><Type>sale</Type><Net>{round(sale / 1.27, 4)}</Net><Gross>{sale}</Gross>"
                   f"<Start>2026.11.01</Start><End>2027.01.31</End></Price>")
    all_params = {"Márka": brand, **params}
    params_xml = "".join(
        f"<Param><Id>{i + 1}</Id><Type>text</Type><Name>{cdata(k)}</Name><Value>{cdata(v)}</Value></Param>"
        for i, (k, v) in enumerate(all_params.items()))
    variants_xml = "".join(
        f"<Variant><Name>{cdata(k)}</Name><Values>" + "".join(f"<Value><Name>{cdata(v)}</Name></Value>" for v in values)
        + "</Values></Variant>" for k, values in variants.items())
    slug = sku.lower()
    long = f"<p>{escape(description)}</p><ul>" + "".join(f"<li>{escape(k)}: {escape(v)}</li>" for k, v in all_params.items()) + "</ul>"
    return f"""  <Product>
    <State>live</State><Id>{pid}</Id><Sku>{sku}</Sku>
    <Statuses><Status><Type>base</Type><Value>1</Value></Status></Statuses>
    <Name>{cdata(name)}</Name><Unit>db</Unit>
    <Description><Short>{cdata(description)}</Short><Long>{cdata(long)}</Long></Description>
    <Prices><Vat>27%</Vat>{prices}</Prices>
    <Categories><Category><Type>base</Type><Id>{CATEGORY_IDS[category]}</Id><Name>{cdata(category)}</Name></Category></Categories>
    <Url>{SHOP}/{slug}</Url><SefUrl>{slug}</SefUrl>
    <Images><DefaultFilename>{slug}</DefaultFilename><Image><Type>base</Type><SefUrl>/products/{image}.svg</SefUrl></Image></Images>
    <Variants>{variants_xml}</Variants>
    <Stocks><Status><Active>1</Active></Status><Stock><Qty>{stock}</Qty></Stock></Stocks>
    <Params>{params_xml}</Params>
  </Product>
"""


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "demo/catalog/sample-unas.xml"
    pid = 100000
    parts = ['<?xml version="1.0" encoding="UTF-8" ?>\n<Products>\n']
    for category, image, items in CATALOG:
        for item in items:
            pid += 1
            parts.append(product(pid, category, image, item))
    parts.append("</Products>\n")
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(parts))
    print(f"wrote {pid - 100000} products to {path}")


if __name__ == "__main__":
    main()
