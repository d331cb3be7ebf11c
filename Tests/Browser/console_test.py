"""The operator console in a real headless Chromium against a real `chatbuddy serve`.

Starts a fake Graph API on a free loopback port that records what it receives, creates an operator with
`chatbuddy operator add`, starts the server (Messenger on the fake Graph API, the demo catalog) and drives
the console as an operator would: signs in, sees a customer's request for a person arrive without a reload,
opens it, takes it over, answers with quick replies and a product card found in the catalog, leaves an
internal note, checks that the fake Messenger API got the reply (and never the note), and releases the
conversation to the bot. Saves screenshots.

Usage: python console_test.py [path/to/chatbuddy]   (default .build/debug/chatbuddy)
"""
import hashlib
import hmac
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.request

import browser
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from browser import ARTIFACTS, ROOT
BINARY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "chatbuddy"))
APP_SECRET = "console-test-app-secret"
PAGE = "106540352242922"
EMAIL = "kata@bolt.example.hu"
PASSWORD = "console test password"




class FakeGraph(http.server.BaseHTTPRequestHandler):
    """Records every Send API call and answers as Meta does."""
    received = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with FakeGraph.lock:
            FakeGraph.received.append((self.path, json.loads(body or b"{}")))
            count = len(FakeGraph.received)
        answer = json.dumps({"recipient_id": "PSID-1", "message_id": "m_%d" % count}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


class ConsoleInBrowser(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        os.makedirs(ARTIFACTS, exist_ok=True)
        cls.folder = tempfile.mkdtemp(prefix="chatbuddy-console-")
        cls.graph = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FakeGraph)
        threading.Thread(target=cls.graph.serve_forever, daemon=True).start()
        cls.port = browser.free_port()
        cls.base = f"http://127.0.0.1:{cls.port}"
        environment = dict(os.environ, PORT=str(cls.port), HOST="127.0.0.1",
                           DATABASE_URL=f"sqlite:{cls.folder}/chatbuddy.sqlite", PUBLIC_BASE_URL=cls.base,
                           LOG_LEVEL="warning", ADMIN_API_KEY="console-test-admin", CHATBUDDY_DEMO="1",
                           MESSENGER_VERIFY_TOKEN="verify", MESSENGER_APP_SECRET=APP_SECRET,
                           MESSENGER_PAGE_ACCESS_TOKEN="page-token",
                           # No quiet hours: the campaign below goes at once whatever the time of day.
                           QUIET_HOURS="",
                           META_GRAPH_BASE_URL=f"http://127.0.0.1:{cls.graph.server_address[1]}/v25.0")
        cls.environment = environment
        added = subprocess.run([BINARY, "operator", "add", EMAIL, "--name", "Kata", "--role", "operator", "--password-stdin"],
                               cwd=ROOT, env=environment, input=PASSWORD + "\n", capture_output=True, text=True)
        if added.returncode != 0:
            raise RuntimeError("operator add failed: " + added.stderr)
        cls.log = open(os.path.join(ARTIFACTS, "console-server.log"), "w")
        cls.server = browser.start_server(BINARY, environment, cls.base, cls.log)
        cls.driver = browser.chromium(1400, 900)

    @classmethod
    def tearDownClass(cls):
        cls.driver.quit()
        browser.stop_server(cls.server)
        cls.graph.shutdown()
        cls.log.close()
        shutil.rmtree(cls.folder, ignore_errors=True)

    # -- helpers ------------------------------------------------------------------------------------
    def wait(self, condition, timeout=15, message=""):
        # Live updates redraw parts of the page: an element found a moment ago may be gone; look again.
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1,
                             ignored_exceptions=(StaleElementReferenceException, IndexError)).until(lambda _: condition(), message)

    def find(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def texts(self, selector):
        return [element.get_attribute("textContent") for element in self.find(selector)]

    def customer_writes(self, mid, text, user="PSID-1"):
        body = json.dumps({"object": "page", "entry": [{"id": PAGE, "time": int(time.time() * 1000), "messaging": [{
            "sender": {"id": user}, "recipient": {"id": PAGE}, "timestamp": int(time.time() * 1000),
            "message": {"mid": mid, "text": text}}]}]}).encode()
        signature = "sha256=" + hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
        request = urllib.request.Request(self.base + "/webhooks/messenger", data=body, method="POST",
                                         headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})
        with urllib.request.urlopen(request, timeout=10) as answer:
            self.assertEqual(answer.status, 200)

    def admin(self, method, path, body=None):
        request = urllib.request.Request(
            self.base + "/api/v1/admin" + path, method=method, data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": "Bearer console-test-admin", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.load(answer)

    def sent(self):
        with FakeGraph.lock:
            return [body for _, body in FakeGraph.received]

    def click(self, selector):
        def attempt():
            self.find(selector)[0].click()
            return True
        self.wait(attempt, message="click " + selector)

    def screenshot(self, name):
        self.driver.save_screenshot(os.path.join(ARTIFACTS, name))

    # -- the operator's path ------------------------------------------------------------------------
    def test_operator_takes_over_and_answers(self):
        driver = self.driver
        driver.get(self.base + "/console")
        self.assertTrue(driver.current_url.endswith("/console/login"), "the console asks for a sign-in")
        driver.find_element(By.NAME, "email").send_keys(EMAIL)
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        self.wait(lambda: driver.current_url.endswith("/console"), message="signed in")
        self.wait(lambda: "on" in self.find("#live")[0].get_attribute("class"), message="live updates connected")
        self.assertEqual(self.find("#conversations .item"), [], "no conversations yet")

        # A customer asks for a person: the conversation appears without a reload, waiting.
        self.customer_writes("m-1", "Élő ügyintézővel szeretnék beszélni")
        self.wait(lambda: self.find("#conversations .item.state-waiting"), message="the request arrives live")
        self.wait(lambda: "PSID-1" in self.find("#conversations .item")[0].text and "waiting" in self.find("#conversations .item")[0].text,
                  message="customer and state shown")
        self.wait(lambda: self.find(".flash"), message="the console tells of the hand-off")
        self.screenshot("console-waiting.png")

        # Open it: the history as the customer saw it, then take it over.
        self.click("#conversations .item")
        self.wait(lambda: self.find(".history .bubble.in"), message="history drawn")
        self.assertIn("Élő ügyintézővel szeretnék beszélni", self.texts(".history .bubble.in p"))
        self.wait(lambda: len(self.find(".history .bubble.out")) >= 1, message="the bot's hand-off answer")
        self.click("#take-over")
        self.wait(lambda: "human" in self.find("#mode")[0].get_attribute("class"), message="taken over")
        self.assertIn("Kata", self.find(".head .meta")[0].text)

        # Reply with quick replies and a product card picked from the catalog.
        before = len(self.sent())
        self.find("#reply-text")[0].send_keys("Szia, Kata vagyok. Ezt ajánlanám:")
        self.find("#reply-quick")[0].send_keys("Kérem, Mást szeretnék")
        search = self.find("#product-search")[0]
        search.send_keys("Samsung")
        search.send_keys("\n")
        self.wait(lambda: self.find("#product-results .add-card"), message="catalog search results")
        self.click("#product-results .add-card")
        self.wait(lambda: self.find("#picked .chip"), message="card picked")
        self.click("#send")

        # The fake Messenger API receives the card and the text with its quick replies.
        self.wait(lambda: any(b["message"].get("quick_replies") for b in self.sent()[before:]), message="the reply reaches the Send API")
        bodies = self.sent()[before:]
        quick = [b for b in bodies if b["message"].get("quick_replies")]
        self.assertEqual([q["title"] for q in quick[0]["message"]["quick_replies"]], ["Kérem", "Mást szeretnék"])
        self.assertTrue(any("Kata vagyok" in json.dumps(b, ensure_ascii=False) for b in bodies))
        templates = [b for b in bodies if b["message"].get("attachment", {}).get("type") == "template"]
        self.assertTrue(templates, "the product card went as a template")
        self.assertIn("Samsung", json.dumps(templates[0], ensure_ascii=False))
        images = [b["message"]["attachment"]["payload"].get("url", "") for b in bodies if b["message"].get("attachment", {}).get("type") == "image"]
        self.assertTrue(all(url.startswith("http") for url in images), "image links are absolute")
        self.assertTrue(all(b["message"].get("metadata", "").startswith("gw:") for b in bodies))
        # The console draws what was sent: the chips and the card, with their delivery state.
        self.wait(lambda: "Mást szeretnék" in self.texts(".history .bubble.out .chip"), message="quick replies drawn")
        self.wait(lambda: "Samsung" in " ".join(self.texts(".history .bubble.out")), message="card drawn")
        self.wait(lambda: any(s.endswith("sent") for s in self.texts(".history .bubble.out .status")), message="delivery state shown")

        # An internal note stays internal.
        self.find("#note-text")[0].send_keys("Visszahívást kért.")
        self.click("#add-note")
        self.wait(lambda: "Visszahívást kért." in self.texts("#notes p"), message="note shown")
        self.assertFalse(any("Visszahívást" in json.dumps(b) for b in self.sent()), "the note never reaches the customer")
        self.screenshot("console-human.png")

        # Release to the bot.
        self.click("#release")
        self.wait(lambda: "bot" in self.find("#mode")[0].get_attribute("class").split(), message="released")
        self.wait(lambda: self.find("#conversations .item.state-bot"), message="the list shows it with the bot")
        self.screenshot("console-released.png")

        # A new customer message shows live in the open conversation.
        self.customer_writes("m-2", "Köszönöm!")
        self.wait(lambda: "Köszönöm!" in self.texts(".history .bubble.in p"), message="the new message appears live")

        # Campaigns with their counts: the customer never subscribed (skipped); tomorrow's is cancelled from here.
        now = self.admin("POST", "/campaigns", {"name": "Téli akció", "audience": {"channels": ["messenger"]},
                                                 "message": {"reply": {"hu": {"text": "Akció!"}}}})
        tomorrow = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 86400))
        later = self.admin("POST", "/campaigns", {"name": "Holnapi", "send_at": tomorrow, "message": {"reply": {"hu": {"text": "Holnap!"}}}})
        self.wait(lambda: self.admin("GET", f"/campaigns/{now['id']}")["state"] == "done", message="the campaign is gone through")
        self.click("#show-campaigns")
        row = f"#campaigns tr[data-campaign='{now['id']}']"
        self.wait(lambda: self.texts(row + " .skipped") == ["no_consent 1"], message="its counts shown")
        self.assertEqual(self.texts(row + " .targeted"), ["1"])
        self.assertEqual(self.texts(row + " .sent"), ["0"])
        self.click(f"#campaigns tr[data-campaign='{later['id']}'] .cancel-campaign")
        self.wait(lambda: self.texts(f"#campaigns tr[data-campaign='{later['id']}'] .state") == ["cancelled"], message="cancelled")
        self.assertEqual(self.admin("GET", f"/campaigns/{later['id']}")["state"], "cancelled")
        self.screenshot("console-campaigns.png")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
