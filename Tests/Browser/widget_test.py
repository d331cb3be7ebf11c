"""The website widget in a real headless Chromium against a real `chatbuddy serve`.

Starts the server on a free loopback port with a fresh SQLite file, opens the demo page, and drives the
widget as a customer would: opens it, sends a message, waits for the reply, taps a quick reply, checks
that markup is shown as text, gets an answer while the panel is closed (unread badge), reloads the page
(session resumed from localStorage, history replayed), and checks the English UI. Saves screenshots.

Usage: python widget_test.py [path/to/chatbuddy]   (default .build/debug/chatbuddy)
"""
import json
import os
import shutil
import sys
import tempfile
import unittest
import urllib.request

import browser
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, ROOT
BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "chatbuddy"))
XSS = "<img src=x onerror=alert(1)>"




class WidgetInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(ARTIFACTS, exist_ok=True)
        cls.folder = tempfile.mkdtemp(prefix="chatbuddy-browser-")
        cls.port = browser.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        environment = dict(os.environ, PORT=str(cls.port), HOST="127.0.0.1",
                           DATABASE_URL=f"sqlite:{cls.folder}/chatbuddy.sqlite",
                           PUBLIC_BASE_URL=cls.base, LOG_LEVEL="warning", ADMIN_API_KEY="browser-test-admin", CHATBUDDY_DEMO="1",
                           ABANDONED_CART_AFTER="2s", QUIET_HOURS="")
        for name in ("MESSENGER_VERIFY_TOKEN", "MESSENGER_APP_SECRET", "MESSENGER_PAGE_ACCESS_TOKEN"):
            environment.pop(name, None)
        cls.environment = environment
        cls.log = open(os.path.join(ARTIFACTS, "server.log"), "w")
        cls.start_server()
        cls.driver = browser.chromium()

    @classmethod
    def start_server(cls):
        cls.server = browser.start_server(BINARY, cls.environment, cls.base, cls.log)

    @classmethod
    def stop_server(cls):
        browser.stop_server(cls.server)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        cls.stop_server()
        cls.log.close()
        shutil.rmtree(cls.folder, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------------
    def wait(self, condition, timeout=15, message=""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda _: condition(), message)

    def widget(self):
        host = self.wait(lambda: self.driver.find_elements(By.ID, "chatbuddy-widget"), message="widget host")[0]
        return host.shadow_root

    def find(self, selector):
        return self.widget().find_elements(By.CSS_SELECTOR, selector)

    def texts(self, selector):
        return [element.get_attribute("textContent") for element in self.find(selector)]

    def open_widget(self):
        panel = self.find(".panel")[0]
        if not panel.is_displayed():
            self.find(".launcher")[0].click()
        self.wait(lambda: self.find(".panel")[0].get_attribute("data-status") == "online", message="socket online")

    def send(self, text):
        box = self.find("textarea")[0]
        box.send_keys(text)
        box.send_keys(Keys.ENTER)

    def admin(self, method, path, body=None):
        request = urllib.request.Request(
            self.base + "/api/v1/admin" + path, method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "Bearer browser-test-admin", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    def screenshot(self, name):
        path = os.path.join(ARTIFACTS, name)
        self.driver.save_screenshot(path)
        return path

    # -- the customer's path ------------------------------------------------------------------------
    def test_conversation_in_hungarian(self):
        driver = self.driver
        driver.get(self.base + "/")
        self.assertIn("Bögre", driver.title)
        self.assertFalse(self.find(".panel")[0].is_displayed(), "the panel starts closed")
        self.open_widget()
        self.assertEqual(self.find("textarea")[0].get_attribute("placeholder"), "Írjon üzenetet…")

        # A message and its answer, with quick replies.
        self.send("Szia!")
        self.wait(lambda: "Szia!" in self.texts(".message.user .text"), message="own bubble")
        self.wait(lambda: len(self.find(".message.bot")) == 1, message="first reply")
        self.assertTrue(self.texts(".message.bot .text")[0].startswith("Szia!"))
        self.assertEqual(self.find(".message.bot")[0].get_attribute("data-agent"), "general")
        self.assertTrue(self.texts(".message.bot time")[0], "replies carry a time")
        self.wait(lambda: self.texts(".chip") == ["Termékek", "Rendelésem", "Kapcsolat"], message="quick replies")

        # Tapping a quick reply sends it and gets the second answer.
        self.find(".chip")[0].click()
        self.wait(lambda: len(self.find(".message.bot")) == 2, message="second reply")
        self.assertTrue(self.texts(".message.bot .text")[1].startswith("Milyen terméket keresel?"))
        self.assertEqual(self.find(".message.bot")[1].get_attribute("data-agent"), "product_info")
        self.assertEqual(self.texts(".message.user .text")[-1], "Termékek")
        self.assertEqual(self.find(".chip"), [], "chips go once one is tapped")

        # Markup is text, never HTML.
        self.send(XSS)
        self.wait(lambda: len(self.find(".message.bot")) == 3, message="answer to the markup message")
        self.assertEqual(self.texts(".message.user .text")[-1], XSS)
        self.assertEqual(self.find(".log img"), [], "no element was made from the message")
        with self.assertRaises(NoAlertPresentException):
            driver.switch_to.alert.text
        self.screenshot("widget-open.png")

        # An operator answers with product cards: a carousel with image, price and buttons.
        conversation = self.admin("GET", "/conversations?channel=widget")["items"][0]["id"]
        card = lambda sku, name, price: {
            "title": name, "subtitle": price, "sku": sku, "image_url": self.base + "/card.svg",
            "buttons": [{"type": "url", "title": "Részletek", "url": self.base + "/?sku=" + sku},
                        {"type": "postback", "title": "Kosárba", "payload": "ADD_TO_CART:" + sku}]}
        self.admin("POST", f"/conversations/{conversation}/replies", {"reply": {
            "text": "Ezeket ajánlom:", "cards": [card("B-1", "Piros bögre", "3 490 Ft"), card("K-2", "Kávéfőző", "19 990 Ft"),
                                                   card("F-3", "Futócipő", "18 990 Ft")]}})
        self.wait(lambda: len(self.find(".card")) == 3, message="carousel")
        self.assertEqual(self.texts(".card .subtitle"), ["3 490 Ft", "19 990 Ft", "18 990 Ft"])
        self.assertEqual(self.find(".card img")[0].get_attribute("src"), self.base + "/card.svg")
        self.assertTrue(self.driver.execute_script("return arguments[0].naturalWidth > 0", self.find(".card img")[0]), "image loaded")
        strip = self.find(".cards")[0]
        self.assertTrue(self.driver.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", strip), "scrolls sideways")
        self.assertEqual(self.find(".card a.button")[0].get_attribute("href"), self.base + "/?sku=B-1")
        self.screenshot("widget-cards.png")
        self.find(".card button.button")[1].click()
        self.wait(lambda: len(self.find(".message.bot")) == 5, message="answer to the card button")
        self.assertEqual(self.texts(".message.user .text")[-1], "Kosárba")
        # The operator's made-up product is not in the catalog, and the product agent says so.
        self.assertTrue(self.texts(".message.bot .text")[-1].startswith("Ez a termék már nem érhető el"))

        # An answer while the panel is closed raises the unread badge (the REST turn shares the session).
        self.find(".close")[0].click()
        session = driver.execute_script("return window.ChatBuddy.session")
        request = urllib.request.Request(
            self.base + "/api/v1/chat", method="POST", headers={"Content-Type": "application/json"},
            data=json.dumps({"session_id": session, "content": "köszönöm"}).encode())
        with urllib.request.urlopen(request, timeout=20) as answer:
            self.assertEqual(json.load(answer)["data"]["content"].split("!")[0], "Szívesen")
        self.wait(lambda: self.find(".badge")[0].is_displayed(), message="unread badge")
        self.assertEqual(self.find(".badge")[0].get_attribute("textContent"), "1")
        self.screenshot("widget-unread.png")

        # A reload resumes the session from localStorage and replays the history.
        driver.refresh()
        self.open_widget()
        self.wait(lambda: len(self.find(".message.bot")) == 6, message="history replayed")
        self.assertEqual(driver.execute_script("return window.ChatBuddy.session"), session)
        self.assertEqual(self.texts(".message.user .text"), ["Szia!", "Termékek", XSS, "Kosárba", "köszönöm"])
        self.assertEqual(len(self.find(".card")), 3, "cards come back with the history")
        self.screenshot("widget-history.png")

        # The server restarts: the widget shows it is offline, reconnects by itself, and goes on.
        self.stop_server()
        self.wait(lambda: self.find(".panel")[0].get_attribute("data-status") != "online", message="offline shown")
        self.start_server()
        self.wait(lambda: self.find(".panel")[0].get_attribute("data-status") == "online", timeout=30, message="reconnected")
        self.send("Szia újra!")
        self.wait(lambda: len(self.find(".message.bot")) == 7, message="answer after the restart")
        self.assertEqual(len(self.find(".message.user")), 6, "nothing replayed twice after reconnecting")
        print("screenshots in", ARTIFACTS)

    def test_reset_forgets_the_session(self):
        self.driver.get(self.base + "/en.html")
        self.driver.execute_script("localStorage.clear()")
        self.driver.refresh()
        self.open_widget()
        self.send("Hello before logout")
        self.wait(lambda: len(self.find(".message.bot")) == 1, message="reply before the reset")
        before = self.driver.execute_script("return window.ChatBuddy.session")

        # Logging out on a shared computer: the next person sees nothing of it, on this page or after a reload.
        self.driver.execute_script("window.ChatBuddy.reset()")
        after = self.driver.execute_script("return window.ChatBuddy.session")
        self.assertNotEqual(after, before)
        self.assertEqual(self.driver.execute_script("return localStorage.getItem('chatbuddy.session')"), after)
        self.assertEqual(self.find(".message"), [], "the old conversation left the screen")
        self.wait(lambda: self.find(".panel")[0].get_attribute("data-status") == "online", message="online again")
        self.send("Hello after logout")
        self.wait(lambda: len(self.find(".message.bot")) == 1, message="reply in the new session")
        self.driver.refresh()
        self.open_widget()
        self.wait(lambda: len(self.find(".message.bot")) == 1, message="history of the new session only")
        self.assertEqual(self.texts(".message.user .text"), ["Hello after logout"])

    def test_tracked_cart_is_reminded_in_the_widget(self):
        self.driver.get(self.base + "/")
        self.driver.execute_script("localStorage.clear()")
        self.driver.refresh()
        self.open_widget()
        self.send("Feliratkozom a hírlevélre")
        self.wait(lambda: len(self.find(".message.bot")) == 1, message="the subscription is answered")
        session = self.driver.execute_script("return window.ChatBuddy.session")

        # The shop's page reports the cart (and tries an event only the shop's server may send: refused).
        self.driver.execute_script(
            "ChatBuddy.track('order_status_changed', {order_id: '1', status: 'shipped'});"
            "ChatBuddy.track('cart_updated', {cart_id: 'web-cart-1', url: 'https://shop.example.hu/kosar',"
            " items: [{sku: 'KG-003', quantity: 2, price: 12990}]});")
        customers = self.admin("GET", "/customers?q=" + session)["items"]
        export = self.admin("GET", f"/customers/{customers[0]['id']}/export")
        self.wait(lambda: self.admin("GET", f"/customers/{customers[0]['id']}/export")["tables"].get("shop_events"), message="the cart is stored")
        events = self.admin("GET", f"/customers/{customers[0]['id']}/export")["tables"]["shop_events"]
        self.assertEqual([event["type"] for event in events], ["cart_updated"], export)
        self.assertTrue(events[0]["id"].startswith(f"widget:{session}:"))

        # Two seconds later (ABANDONED_CART_AFTER) the open widget shows the reminder with the product's card.
        self.wait(lambda: any("shop.example.hu/kosar" in text for text in self.texts(".message.bot .text")), message="the reminder")
        self.wait(lambda: self.find(".message.bot .card"), message="the cart's product as a card")
        self.assertEqual(self.find(".notice"), [], "the refused event is the page's mistake: not shown to the visitor")
        self.screenshot("widget-cart-reminder.png")

    def test_english_page_gets_english_strings(self):
        self.driver.get(self.base + "/en.html")
        self.driver.execute_script("localStorage.clear()")
        self.driver.refresh()
        self.open_widget()
        self.assertEqual(self.find("textarea")[0].get_attribute("placeholder"), "Type a message…")
        self.send("Hello there")
        self.wait(lambda: len(self.find(".message.bot")) == 1, message="reply in English")
        self.assertTrue(self.texts(".message.bot .text")[0].startswith("Hi!"))
        self.screenshot("widget-english.png")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1], verbosity=2)
