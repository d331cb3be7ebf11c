"""The shipped nginx site (deploy/nginx/chatbuddy.conf) in front of two gateways on one PostgreSQL.

Run by scripts/deploy-test.sh, which starts PostgreSQL and gives its URL in TEST_DATABASE_URL. Checks that
a Twilio signature computed over the public https URL verifies, that the widget's WebSocket works through
the proxy, that per-client limits see the real client address (server.trusted_proxies), and that killing
one gateway loses no webhook.
"""
import base64
import hashlib
import hmac
import http.client
import http.server
import json
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, ".build", "debug", "chatbuddy")
APP_SECRET = "deploy-app-secret"
AUTH_TOKEN = "deploy-twilio-token"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakePlatform(http.server.ThreadingHTTPServer):
    """The Graph API and Twilio's Messages API on 127.0.0.1: records what it receives, answers success."""

    def __init__(self):
        self.received = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), FakePlatform.Handler)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with self.server.lock:
                self.server.received.append((self.path, body.decode("utf-8", "replace")))
                number = len(self.server.received)
            if "Messages.json" in self.path:
                answer = json.dumps({"sid": "SM%032d" % number, "status": "queued"})
            else:
                answer = json.dumps({"recipient_id": "r", "message_id": "m_%d" % number})
            data = answer.encode()
            self.send_response(201 if "Messages.json" in self.path else 200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *arguments):
            pass


def start_gateway(port, environment, log_path):
    log = open(log_path, "w")
    process = subprocess.Popen(
        [BINARY, "serve", "--config", os.path.join(ROOT, "webhooks.yml")],
        cwd=tempfile.gettempdir(), env={**environment, "PORT": str(port)}, stdout=log, stderr=log)
    deadline = time.time() + 30
    while time.time() < deadline:
        with open(log_path) as text:
            if "listening on" in text.read():
                return process
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit("gateway on %d did not start:\n%s" % (port, open(log_path).read()))


def nginx_config(folder, public_port, ports):
    """The shipped site with this test's ports and a self-signed certificate, inside a minimal main config."""
    with open(os.path.join(ROOT, "deploy", "nginx", "chatbuddy.conf")) as shipped:
        site = shipped.read()
    site = site.replace("    server 127.0.0.1:8081 max_fails=1 fail_timeout=5s;\n    server 127.0.0.1:8082 max_fails=1 fail_timeout=5s;\n",
                        "".join("    server 127.0.0.1:%d max_fails=1 fail_timeout=5s;\n" % port for port in ports))
    site = site.replace("listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % public_port).replace("listen [::]:443 ssl http2;", "")
    site = site.replace("listen 80;", "listen 127.0.0.1:%d;" % free_port()).replace("listen [::]:80;", "")
    site = site.replace("/etc/letsencrypt/live/chat.example.hu/fullchain.pem", os.path.join(folder, "cert.pem"))
    site = site.replace("/etc/letsencrypt/live/chat.example.hu/privkey.pem", os.path.join(folder, "key.pem"))
    assert "8081" not in site and "443 ssl" not in site.replace("%d ssl" % public_port, ""), "the site's ports were not all replaced"
    main = """
pid %(folder)s/nginx.pid;
error_log %(folder)s/error.log;
daemon off;
events { worker_connections 1024; }
http {
    access_log %(folder)s/access.log;
    client_body_temp_path %(folder)s/body;
    proxy_temp_path %(folder)s/proxy;
    fastcgi_temp_path %(folder)s/fastcgi;
    uwsgi_temp_path %(folder)s/uwsgi;
    scgi_temp_path %(folder)s/scgi;
    %(site)s
}
""" % {"folder": folder, "site": site}
    path = os.path.join(folder, "nginx.conf")
    with open(path, "w") as out:
        out.write(main)
    return path


def https(path, public_port, method="GET", body=None, headers=None, source="127.0.0.1"):
    """A request to the proxy from `source`, trusting its self-signed certificate; (status, body)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http_connection(public_port, source, context)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, data


def http_connection(public_port, source, context):
    return http.client.HTTPSConnection("127.0.0.1", public_port, context=context, source_address=(source, 0), timeout=20)


def websocket(public_port, session, source):
    """Opens the widget's socket through the proxy from `source`; (status, socket or None)."""
    raw = socket.create_connection(("127.0.0.1", public_port), timeout=20, source_address=(source, 0))
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    tls = context.wrap_socket(raw, server_hostname="localhost")
    key = base64.b64encode(os.urandom(16)).decode()
    tls.sendall((
        "GET /ws/chat/%s HTTP/1.1\r\nHost: localhost:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nOrigin: https://localhost:%d\r\n\r\n"
        % (session, public_port, key, public_port)).encode())
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = tls.recv(1)
        if not chunk:
            break
        head += chunk
    status = int(head.split(b" ", 2)[1]) if head else 0
    if status != 101:
        if os.environ.get("DEPLOY_TEST_VERBOSE"):
            print(head.decode("utf-8", "replace"), file=sys.stderr)
        tls.close()
        return status, None
    return status, tls


def send_text(tls, text):
    data = text.encode()
    mask = os.urandom(4)
    header = bytes([0x81])
    header += bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + len(data).to_bytes(2, "big")
    tls.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))


def read_text(tls):
    def exactly(count):
        data = b""
        while len(data) < count:
            chunk = tls.recv(count - len(data))
            if not chunk:
                raise EOFError("socket closed")
            data += chunk
        return data
    first, second = exactly(2)
    length = second & 0x7F
    if length == 126:
        length = int.from_bytes(exactly(2), "big")
    elif length == 127:
        length = int.from_bytes(exactly(8), "big")
    return json.loads(exactly(length).decode())


def twilio_signature(url, fields):
    text = url + "".join(name + fields[name] for name in sorted(fields))
    return base64.b64encode(hmac.new(AUTH_TOKEN.encode(), text.encode(), hashlib.sha1).digest()).decode()


def messenger_body(message_id, user):
    return json.dumps({"object": "page", "entry": [{"id": "PAGE1", "time": 1, "messaging": [{
        "sender": {"id": user}, "recipient": {"id": "PAGE1"}, "timestamp": int(time.time() * 1000),
        "message": {"mid": message_id, "text": "szia"}}]}]})


def main():
    database = os.environ["TEST_DATABASE_URL"]
    folder = tempfile.mkdtemp(prefix="chatbuddy-deploy-")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", os.path.join(folder, "key.pem"), "-out", os.path.join(folder, "cert.pem")],
                   check=True, capture_output=True)
    platform = FakePlatform()
    threading.Thread(target=platform.serve_forever, daemon=True).start()
    fake = "http://127.0.0.1:%d" % platform.server_address[1]
    public_port = free_port()
    ports = [free_port(), free_port()]
    environment = {
        **os.environ, "HOST": "127.0.0.1", "DATABASE_URL": database, "LOG_LEVEL": "info",
        "PUBLIC_BASE_URL": "https://localhost:%d" % public_port, "TRUSTED_PROXIES": "127.0.0.1",
        "MESSENGER_VERIFY_TOKEN": "v", "MESSENGER_APP_SECRET": APP_SECRET, "MESSENGER_PAGE_ACCESS_TOKEN": "t",
        "META_GRAPH_BASE_URL": fake, "TWILIO_ACCOUNT_SID": "AC" + "0" * 32, "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM_NUMBER": "+3612345678", "TWILIO_API_BASE_URL": fake, "WIDGET_MAX_SOCKETS_PER_ADDRESS": "1",
    }
    gateways = []
    nginx = None
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    try:
        # One after another: the first migrates the database.
        for number, port in enumerate(ports):
            gateways.append(start_gateway(port, environment, os.path.join(folder, "gateway-%d.log" % number)))
        for name in ["body", "proxy", "fastcgi", "uwsgi", "scgi"]:
            os.makedirs(os.path.join(folder, name), exist_ok=True)
        nginx = subprocess.Popen(["nginx", "-p", folder, "-c", nginx_config(folder, public_port, ports)],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                if https("/health", public_port)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        check(https("/health", public_port)[0] == 200, "the gateways answer through nginx over TLS")

        # Twilio signs the public https URL it calls; the gateway behind the proxy checks that URL.
        fields = {"MessageSid": "SM" + "1" * 32, "AccountSid": "AC" + "0" * 32, "From": "+36301112233",
                  "To": "+3612345678", "Body": "szia"}
        form = urllib.parse.urlencode(fields)
        public_url = "https://localhost:%d/webhooks/sms" % public_port
        headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": twilio_signature(public_url, fields)}
        check(https("/webhooks/sms", public_port, "POST", form, headers)[0] == 200, "a Twilio signature over the public https URL verifies")
        internal = {**headers, "X-Twilio-Signature": twilio_signature("http://127.0.0.1:%d/webhooks/sms" % ports[0], fields)}
        check(https("/webhooks/sms", public_port, "POST", form, internal)[0] == 401, "a signature over the internal URL does not")

        # The widget's socket through the proxy: upgraded, greeted, and answering a ping.
        status, first = websocket(public_port, "deploy-session-1", "127.0.0.2")
        check(status == 101, "the widget's WebSocket is upgraded through nginx (got %d)" % status)
        if first:
            kinds = [read_text(first)["type"], read_text(first)["type"]]
            check(kinds == ["connection_established", "history"], "the socket greets through the proxy: %s" % kinds)
            send_text(first, json.dumps({"type": "ping"}))
            check(read_text(first)["type"] == "pong", "a frame sent through the proxy is answered")

        # One socket per client address on each gateway (a socket over the limit is told so in an `error`
        # frame, rate_limited, and closed): a second client address is counted apart, so the gateways see the
        # real client (X-Forwarded-For from a trusted proxy), not nginx.
        def first_frame(source, session):
            status, sock = websocket(public_port, session, source)
            return (read_text(sock) if sock else {"type": "status %d" % status}), sock
        kept = [first]
        refused = 0
        for number in range(4):
            frame, more = first_frame("127.0.0.2", "deploy-session-a%d" % number)
            kept.append(more)
            if frame.get("data", {}).get("error_type") == "rate_limited":
                refused += 1
        check(refused >= 2, "the same client address is limited on both gateways (%d of 4 more sockets refused)" % refused)
        frame, other = first_frame("127.0.0.3", "deploy-session-b")
        check(frame.get("type") == "connection_established", "another client address is not: %s" % frame)
        for sock in kept + [other]:
            if sock:
                sock.close()

        # One gateway dies: nginx sends its webhooks to the other, and every one is answered.
        gateways[0].send_signal(signal.SIGKILL)
        gateways[0].wait()
        answered_before = len([r for r in platform.received if "/me/messages" in r[0]])
        statuses = []
        for number in range(10):
            body = messenger_body("deploy-m%d" % number, "DEPLOY%d" % number)
            signature = "sha256=" + hmac.new(APP_SECRET.encode(), body.encode(), hashlib.sha256).hexdigest()
            statuses.append(https("/webhooks/messenger", public_port, "POST", body,
                                  {"Content-Type": "application/json", "X-Hub-Signature-256": signature})[0])
        check(statuses == [200] * 10, "with one gateway killed every webhook is acknowledged: %s" % statuses)
        deadline = time.time() + 60
        while time.time() < deadline and len([r for r in platform.received if "/me/messages" in r[0]]) < answered_before + 10:
            time.sleep(0.2)
        replies = [r for r in platform.received if "/me/messages" in r[0]][answered_before:]
        recipients = sorted(json.loads(body)["recipient"]["id"] for _, body in replies)
        check(recipients == sorted("DEPLOY%d" % n for n in range(10)), "and answered once each: %s" % recipients)
    finally:
        if nginx:
            nginx.terminate()
            nginx.wait()
        for gateway in gateways:
            if gateway.poll() is None:
                gateway.terminate()
                gateway.wait(timeout=30)
        platform.shutdown()
    if failures:
        for number in range(len(ports)):
            print(open(os.path.join(folder, "gateway-%d.log" % number)).read()[-3000:], file=sys.stderr)
        raise SystemExit("%d check(s) failed" % len(failures))
    print("deploy test passed")


if __name__ == "__main__":
    main()
