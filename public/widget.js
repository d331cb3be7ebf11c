/*
 * ChatBuddy website chat widget. Paste into a page:
 *   <script src="https://chat.example.hu/widget.js" data-server="https://chat.example.hu" defer></script>
 * Optional attributes: data-lang="hu|en" (otherwise the page language), data-user-id (the shop's customer id)
 * with data-user-hash (hex HMAC-SHA256 of it, keyed with WIDGET_IDENTITY_SECRET, computed by the shop's server;
 * an id without a valid hash is ignored), data-title (the panel title). ChatBuddy.reset() forgets the
 * conversation (call it on logout, so the next person at a shared computer starts afresh).
 * ChatBuddy.track("cart_updated", {cart_id, items: [{sku, quantity, price}], url}) reports the visitor's cart,
 * ChatBuddy.track("order_placed", {cart_id, order_id}) the order that ends it (README: "Proactive messages"). No dependencies; everything a customer or the agent writes is inserted
 * as text, never as HTML.
 */
(function () {
  "use strict";
  if (window.ChatBuddy) return;

  var script = document.currentScript || document.querySelector("script[src*='widget.js']");
  var dataset = (script && script.dataset) || {};
  var server = (dataset.server || (script && new URL(script.src, location.href).origin) || location.origin).replace(/\/+$/, "");
  var lang = pickLanguage(dataset.lang || document.documentElement.lang || navigator.language || "hu");

  var STRINGS = {
    hu: {
      title: "Ügyfélszolgálat", open: "Csevegés megnyitása", close: "Bezárás", placeholder: "Írjon üzenetet…",
      send: "Küldés", connecting: "Kapcsolódás…", online: "Online", offline: "Nincs kapcsolat, újrapróbálom…",
      typing: "Gépel…", details: "Részletek", unread: "olvasatlan üzenet",
      errors: {
        rate_limited: "Túl sok üzenet rövid idő alatt. Kérjük, várjon egy kicsit.",
        message_too_long: "Az üzenet túl hosszú.", empty_message: "Üres üzenetet nem lehet küldeni.",
        unavailable: "Az üzenetet most nem sikerült elküldeni, újrapróbálom.", other: "Hiba történt."
      }
    },
    en: {
      title: "Customer service", open: "Open chat", close: "Close", placeholder: "Type a message…",
      send: "Send", connecting: "Connecting…", online: "Online", offline: "Disconnected, retrying…",
      typing: "Typing…", details: "Details", unread: "unread messages",
      errors: {
        rate_limited: "Too many messages in a short time. Please wait a moment.",
        message_too_long: "The message is too long.", empty_message: "An empty message cannot be sent.",
        unavailable: "The message could not be sent just now; retrying.", other: "Something went wrong."
      }
    }
  };
  var t = STRINGS[lang];

  var SESSION_KEY = "chatbuddy.session";
  var session = loadSession();
  var socket = null;
  var connected = false;
  var attempt = 0;
  var reconnectTimer = null;
  var pingTimer = null;
  var typingTimer = null;
  var isOpen = false;
  var unread = 0;
  var shown = {};          // message ids already on screen
  var waiting = {};        // our message ids still without an answer
  var outbox = [];         // frames typed while disconnected

  // ---- DOM ---------------------------------------------------------------------------------------
  var host = el("div", { id: "chatbuddy-widget" });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  var style = el("style");
  style.textContent = CSS();
  var launcher = el("button", { class: "launcher", type: "button", "aria-label": t.open });
  launcher.appendChild(icon());
  var badge = el("span", { class: "badge", hidden: "" });
  launcher.appendChild(badge);
  var panel = el("section", { class: "panel", role: "dialog", "aria-label": dataset.title || t.title, hidden: "" });
  var header = el("header");
  var title = el("strong", {}, dataset.title || t.title);
  var status = el("span", { class: "status connecting" });
  var statusText = el("span", { class: "status-text" }, t.connecting);
  var closeButton = el("button", { class: "close", type: "button", "aria-label": t.close }, "×");
  header.append(title, status, statusText, closeButton);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite" });
  var loader = el("div", { class: "loader" }, t.connecting);
  var typing = el("div", { class: "typing", hidden: "" });
  typing.append(el("span"), el("span"), el("span"));
  typing.setAttribute("aria-label", t.typing);
  var chips = el("div", { class: "chips" });
  var form = el("form", { class: "composer" });
  var input = el("textarea", { rows: "1", placeholder: t.placeholder, "aria-label": t.placeholder, maxlength: "2000" });
  var sendButton = el("button", { type: "submit", class: "send" }, t.send);
  form.append(input, sendButton);
  panel.append(header, loader, log, typing, chips, form);
  root.append(style, launcher, panel);

  launcher.addEventListener("click", function () { setOpen(!isOpen); });
  closeButton.addEventListener("click", function () { setOpen(false); });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    sendMessage(text, null);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  if (document.body) document.body.appendChild(host);
  else document.addEventListener("DOMContentLoaded", function () { document.body.appendChild(host); });
  connect();

  window.ChatBuddy = { open: function () { setOpen(true); }, close: function () { setOpen(false); }, reset: reset, track: track, session: session };

  // ---- connection --------------------------------------------------------------------------------
  function connect() {
    clearTimeout(reconnectTimer);
    setStatus("connecting");
    var url = server.replace(/^http/, "ws") + "/ws/chat/" + encodeURIComponent(session);
    if (dataset.userId && dataset.userHash) {
      url += "?user_id=" + encodeURIComponent(dataset.userId) + "&user_hash=" + encodeURIComponent(dataset.userHash);
    }
    try {
      socket = new WebSocket(url);
    } catch (error) {
      scheduleReconnect();
      return;
    }
    socket.onopen = function () {
      connected = true;
      attempt = 0;
      setStatus("online");
      flushOutbox();
      clearInterval(pingTimer);
      pingTimer = setInterval(function () { send({ type: "ping" }); }, 25000);
    };
    socket.onmessage = function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      receive(frame);
    };
    socket.onclose = function () {
      connected = false;
      clearInterval(pingTimer);
      setStatus("offline");
      scheduleReconnect();
    };
    socket.onerror = function () { /* onclose follows */ };
  }

  // Forgets the session: its messages leave the screen and storage, and a new session connects.
  function reset() {
    try { localStorage.removeItem(SESSION_KEY); } catch (error) { /* storage blocked */ }
    delete dataset.userId;
    delete dataset.userHash;
    session = loadSession();
    window.ChatBuddy.session = session;
    shown = {};
    waiting = {};
    outbox = [];
    unread = 0;
    badge.hidden = true;
    while (log.firstChild) log.removeChild(log.firstChild);
    clearChips();
    showTyping(false);
    if (socket) {
      socket.onclose = null;
      socket.close();
    }
    connected = false;
    clearInterval(pingTimer);
    connect();
  }

  function scheduleReconnect() {
    clearTimeout(reconnectTimer);
    var delay = Math.min(30000, 1000 * Math.pow(2, attempt)) * (0.5 + Math.random() / 2);
    attempt += 1;
    reconnectTimer = setTimeout(connect, delay);
  }

  function send(frame) {
    if (connected && socket && socket.readyState === 1) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  function flushOutbox() {
    var pending = outbox;
    outbox = [];
    pending.forEach(function (frame) { if (!send(frame)) outbox.push(frame); });
  }

  // Reports the visitor's cart ("cart_updated": cart_id, items [{sku, quantity, price}], url) or the order that
  // ends it ("order_placed": cart_id, order_id), so a cart left behind can be reminded of.
  function track(event, data) {
    var frame = { type: "track", event: String(event), event_id: newID("e") };
    Object.keys(data || {}).forEach(function (key) {
      if (key !== "type" && key !== "event" && key !== "customer" && key !== "id") frame[key] = data[key];
    });
    if (!send(frame)) outbox.push(frame);
  }

  function sendMessage(text, action) {
    var id = newID("m");
    var frame = { type: "chat_message", content: text, session_id: session, message_id: id, timestamp: new Date().toISOString() };
    if (action && action.quickReply) frame.payload = action.quickReply;
    if (action && action.postback) frame.postback = action.postback;
    addUserMessage({ message_id: id, content: text, timestamp: frame.timestamp });
    clearChips();
    waiting[id] = true;
    showTyping(true);
    if (!send(frame)) outbox.push(frame);
  }

  // ---- frames from the server --------------------------------------------------------------------
  function receive(frame) {
    var data = frame.data || {};
    switch (frame.type) {
      case "connection_established":
        break;
      case "history":
        (data.messages || []).forEach(function (entry) { receive(entry); });
        break;
      case "chat_message":
        addUserMessage(data);
        break;
      case "chat_response":
        addBotMessage(data);
        break;
      case "error":
        // A tracked event the gateway refused is the shop page's mistake, not the visitor's: told to the console.
        if (data.error_type === "invalid_event") {
          if (window.console) console.warn("ChatBuddy.track: " + data.error_message);
          break;
        }
        showNotice((t.errors[data.error_type] || t.errors.other));
        showTyping(false);
        break;
    }
  }

  function addUserMessage(data) {
    if (!data.message_id || shown[data.message_id]) return;
    shown[data.message_id] = true;
    var bubble = el("div", { class: "message user", "data-id": data.message_id });
    bubble.appendChild(el("p", { class: "text" }, data.content || ""));
    bubble.appendChild(time(data.timestamp));
    append(bubble);
  }

  function addBotMessage(data) {
    if (!data.message_id || shown[data.message_id]) return;
    shown[data.message_id] = true;
    if (data.in_reply_to) delete waiting[data.in_reply_to];
    if (Object.keys(waiting).length === 0) showTyping(false);
    var reply = data.reply || { text: data.content };
    var bubble = el("div", { class: "message bot", "data-id": data.message_id, "data-agent": data.agent_type || "" });
    if (reply.text) bubble.appendChild(el("p", { class: "text" }, reply.text));
    if (reply.media && safeURL(reply.media.url) && reply.media.kind === "image") {
      bubble.appendChild(el("img", { class: "media", src: reply.media.url, alt: reply.media.caption || "" }));
    }
    if (reply.cards && reply.cards.length) bubble.appendChild(carousel(reply.cards));
    bubble.appendChild(time(data.timestamp));
    append(bubble);
    setChips(reply.quick_replies || []);
    if (!isOpen) {
      unread += 1;
      badge.textContent = String(unread);
      badge.hidden = false;
      launcher.setAttribute("aria-label", t.open + " (" + unread + " " + t.unread + ")");
    }
  }

  function carousel(cards) {
    var strip = el("div", { class: "cards" });
    cards.forEach(function (card) {
      var item = el("article", { class: "card" });
      if (safeURL(card.image_url)) item.appendChild(el("img", { src: card.image_url, alt: card.title || "", loading: "lazy" }));
      item.appendChild(el("h4", {}, card.title || ""));
      if (card.subtitle) item.appendChild(el("p", { class: "subtitle" }, card.subtitle));
      var buttons = el("div", { class: "card-buttons" });
      (card.buttons || []).forEach(function (button) {
        if (button.type === "url" && safeURL(button.url)) {
          buttons.appendChild(el("a", { href: button.url, target: "_blank", rel: "noopener noreferrer", class: "button" }, button.title));
        } else if (button.type === "postback") {
          var action = el("button", { type: "button", class: "button" }, button.title);
          action.addEventListener("click", function () { sendMessage(button.title, { postback: button.payload }); });
          buttons.appendChild(action);
        }
      });
      if (!card.buttons || !card.buttons.length) {
        if (safeURL(card.url)) buttons.appendChild(el("a", { href: card.url, target: "_blank", rel: "noopener noreferrer", class: "button" }, t.details));
      }
      item.appendChild(buttons);
      strip.appendChild(item);
    });
    return strip;
  }

  function setChips(options) {
    clearChips();
    options.forEach(function (option) {
      var chip = el("button", { type: "button", class: "chip" }, option.title);
      chip.addEventListener("click", function () { sendMessage(option.title, { quickReply: option.payload }); });
      chips.appendChild(chip);
    });
  }

  function clearChips() {
    while (chips.firstChild) chips.removeChild(chips.firstChild);
  }

  function showNotice(text) {
    var notice = el("div", { class: "notice", role: "status" }, text);
    append(notice);
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    typing.hidden = !on;
    if (on) typingTimer = setTimeout(function () { typing.hidden = true; }, 30000);
    if (on) log.scrollTop = log.scrollHeight;
  }

  function append(node) {
    log.appendChild(node);
    log.scrollTop = log.scrollHeight;
  }

  function setOpen(open) {
    isOpen = open;
    panel.hidden = !open;
    launcher.classList.toggle("is-open", open);
    if (open) {
      unread = 0;
      badge.hidden = true;
      launcher.setAttribute("aria-label", t.close);
      setTimeout(function () { input.focus(); log.scrollTop = log.scrollHeight; }, 0);
    } else {
      launcher.setAttribute("aria-label", t.open);
    }
  }

  function setStatus(state) {
    status.className = "status " + state;
    statusText.textContent = state === "online" ? t.online : state === "offline" ? t.offline : t.connecting;
    loader.textContent = state === "offline" ? t.offline : t.connecting;
    loader.hidden = state === "online";
    panel.setAttribute("data-status", state);
  }

  // ---- helpers -----------------------------------------------------------------------------------
  function el(name, attributes, text) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function time(timestamp) {
    var date = timestamp ? new Date(timestamp) : new Date();
    var label = isNaN(date.getTime()) ? "" : date.toLocaleTimeString(lang === "hu" ? "hu-HU" : "en-GB", { hour: "2-digit", minute: "2-digit" });
    return el("time", { datetime: isNaN(date.getTime()) ? "" : date.toISOString() }, label);
  }

  function safeURL(url) {
    return typeof url === "string" && /^https?:\/\//i.test(url);
  }

  function newID(prefix) {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return prefix + "-" + Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function loadSession() {
    var id = null;
    try { id = localStorage.getItem(SESSION_KEY); } catch (error) { /* storage blocked */ }
    if (!id || !/^[A-Za-z0-9_-]{8,128}$/.test(id)) {
      id = newID("s");
      try { localStorage.setItem(SESSION_KEY, id); } catch (error) { /* session lasts for this page only */ }
    }
    return id;
  }

  function pickLanguage(value) {
    return String(value).toLowerCase().indexOf("en") === 0 ? "en" : "hu";
  }

  function icon() {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z");
    svg.appendChild(path);
    return svg;
  }

  function CSS() {
    return [
      ":host{all:initial}",
      "*{box-sizing:border-box;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
      ".launcher{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:#1f6feb;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483646;display:flex;align-items:center;justify-content:center}",
      ".launcher svg{width:26px;height:26px;fill:currentColor}",
      ".badge{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#d1242f;color:#fff;font-size:12px;line-height:20px;text-align:center}",
      ".panel{position:fixed;right:20px;bottom:88px;width:360px;max-width:calc(100vw - 24px);height:540px;max-height:calc(100vh - 110px);background:#fff;color:#1f2328;border-radius:14px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647}",
      ".panel[hidden]{display:none}",
      "header{display:flex;align-items:center;gap:8px;padding:12px 14px;background:#1f6feb;color:#fff}",
      "header strong{flex:1;font-size:15px}",
      ".status{width:9px;height:9px;border-radius:50%;background:#f2cc60}",
      ".status.online{background:#3fb950}.status.offline{background:#f85149}",
      ".status-text{font-size:12px;opacity:.9}",
      ".close{background:none;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}",
      ".loader{padding:16px;text-align:center;font-size:13px;color:#57606a}",
      ".loader::before{content:'';display:inline-block;width:12px;height:12px;margin-right:8px;border:2px solid #1f6feb;border-right-color:transparent;border-radius:50%;animation:spin .8s linear infinite;vertical-align:-2px}",
      ".loader[hidden]{display:none}",
      ".log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f6f8fa}",
      ".message{max-width:85%;padding:8px 10px;border-radius:12px;font-size:14px;line-height:1.4}",
      ".message .text{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}",
      ".message time{display:block;margin-top:4px;font-size:11px;opacity:.6}",
      ".user{align-self:flex-end;background:#1f6feb;color:#fff;border-bottom-right-radius:4px}",
      ".bot{align-self:flex-start;background:#fff;border:1px solid #d0d7de;border-bottom-left-radius:4px;max-width:100%}",
      ".media{display:block;max-width:100%;border-radius:8px;margin-top:6px}",
      ".notice{align-self:center;font-size:12px;color:#9a6700;background:#fff8c5;padding:4px 8px;border-radius:8px}",
      ".cards{display:flex;gap:8px;overflow-x:auto;scroll-snap-type:x mandatory;margin-top:8px;padding-bottom:4px;max-width:300px}",
      ".card{flex:0 0 180px;scroll-snap-align:start;border:1px solid #d0d7de;border-radius:10px;overflow:hidden;background:#fff;display:flex;flex-direction:column}",
      ".card img{width:100%;height:110px;object-fit:cover;background:#eaeef2}",
      ".card h4{margin:6px 8px 2px;font-size:13px}",
      ".card .subtitle{margin:0 8px 6px;font-size:13px;color:#1a7f37;font-weight:600}",
      ".card-buttons{display:flex;flex-direction:column;gap:4px;padding:0 8px 8px;margin-top:auto}",
      ".button{display:block;text-align:center;padding:6px;border-radius:8px;border:1px solid #1f6feb;background:#fff;color:#1f6feb;font-size:13px;text-decoration:none;cursor:pointer}",
      ".chips{display:flex;flex-wrap:wrap;gap:6px;padding:0 12px;background:#f6f8fa}",
      ".chips:not(:empty){padding:8px 12px}",
      ".chip{border:1px solid #1f6feb;background:#fff;color:#1f6feb;border-radius:16px;padding:5px 12px;font-size:13px;cursor:pointer}",
      ".typing{align-self:flex-start;margin:0 12px 8px;padding:8px 10px;background:#fff;border:1px solid #d0d7de;border-radius:12px;display:flex;gap:4px}",
      ".typing[hidden]{display:none}",
      ".typing span{width:6px;height:6px;border-radius:50%;background:#8c959f;animation:blink 1.2s infinite}",
      ".typing span:nth-child(2){animation-delay:.2s}.typing span:nth-child(3){animation-delay:.4s}",
      ".composer{display:flex;gap:8px;padding:10px;border-top:1px solid #d0d7de;background:#fff}",
      ".composer textarea{flex:1;resize:none;border:1px solid #d0d7de;border-radius:8px;padding:8px;font-size:14px;max-height:96px}",
      ".send{border:0;background:#1f6feb;color:#fff;border-radius:8px;padding:0 14px;font-size:14px;cursor:pointer}",
      "@keyframes spin{to{transform:rotate(360deg)}}",
      "@keyframes blink{0%,80%,100%{opacity:.3}40%{opacity:1}}"
    ].join("\n");
  }
})();
