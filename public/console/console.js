// The operator console: the conversation list, one conversation, and the actions on it, drawn from the
// admin API (/api/v1/admin) with the session cookie and the page's CSRF token, kept live by its event
// stream. No framework and no build step; every customer-written string goes into the page as text.
"use strict";

(function () {
  const api = "/api/v1/admin";
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const me = Number(document.querySelector('meta[name="operator-id"]').content);
  const icons = { messenger: "💬", whatsapp: "🟢", sms: "📱", email: "✉️", telegram: "✈️", widget: "🌐" };
  const states = { bot: "bot", waiting: "vár / waiting", human: "ember / human" };
  const state = { open: null, cursor: null, operators: [], canned: [], cards: [] };

  // ---- small helpers ----
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? "" : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function call(method, path, body) {
    const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
    if (method !== "GET") options.headers["X-CSRF-Token"] = csrf;
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    const answer = await fetch(api + path, options);
    if (answer.status === 401) { location.href = "/console/login"; throw new Error("signed out"); }
    if (answer.status === 204) return null;
    const data = await answer.json().catch(() => ({}));
    if (!answer.ok) throw new Error((data.error && data.error.message) || data.message || ("HTTP " + answer.status));
    return data;
  }

  function when(iso) {
    if (!iso) return "";
    const date = new Date(iso);
    const today = new Date().toDateString() === date.toDateString();
    return today ? date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : date.toLocaleString();
  }

  // A catalog link as the customer's platform needs it: absolute (a feed may give paths on this server).
  function absolute(link) {
    if (!link) return undefined;
    try { return new URL(link, location.origin).href; } catch (_) { return undefined; }
  }

  function flash(message, isError) {
    const note = el("div", { class: "flash" + (isError ? " error" : ""), role: "status" }, message);
    document.body.append(note);
    setTimeout(() => note.remove(), 4000);
  }

  // ---- the list ----
  const filters = document.getElementById("filters");
  const list = document.getElementById("conversations");
  const more = document.getElementById("more");

  function query(cursor) {
    const form = new FormData(filters);
    const params = new URLSearchParams();
    if (form.get("q")) params.set("q", form.get("q"));
    if (form.get("waiting")) params.set("waiting", "1");
    if (form.get("mine")) params.set("mine", "1");
    if (form.get("channel")) params.set("channel", form.get("channel"));
    if (cursor) params.set("cursor", cursor);
    params.set("limit", "50");
    return "/inbox?" + params.toString();
  }

  async function loadList(append) {
    const page = await call("GET", query(append ? state.cursor : null));
    if (!append) list.replaceChildren();
    for (const item of page.items) list.append(listItem(item));
    state.cursor = page.next_cursor || null;
    more.hidden = !state.cursor;
  }

  function listItem(item) {
    const last = item.last_message;
    return el("li", {
      class: "item state-" + item.state + (item.id === state.open ? " selected" : ""),
      "data-id": item.id,
      onclick: () => openConversation(item.id),
    },
      el("span", { class: "icon", title: item.channel }, icons[item.channel] || "•"),
      el("span", { class: "who" }, item.display_name || item.user_id),
      item.unread > 0 ? el("span", { class: "unread", title: "olvasatlan / unread" }, String(item.unread)) : null,
      el("span", { class: "badge " + item.state }, states[item.state] || item.state),
      item.operator ? el("span", { class: "operator" }, item.operator) : null,
      el("span", { class: "last" }, last ? (last.direction === "in" ? "" : "↩ ") + (last.text || "[" + last.kind + "]") : ""),
      el("time", {}, when(last ? last.at : item.updated_at)));
  }

  let listTimer = null;
  function refreshListSoon() {
    clearTimeout(listTimer);
    listTimer = setTimeout(() => loadList(false).catch((error) => flash(error.message, true)), 150);
  }

  // ---- one conversation ----
  const pane = document.getElementById("conversation");

  async function openConversation(id) {
    state.open = id;
    state.cards = [];
    history.replaceState(null, "", "/console?conversation=" + id);
    for (const item of list.querySelectorAll(".item")) item.classList.toggle("selected", Number(item.dataset.id) === id);
    // The frame is made once a conversation; live updates redraw its parts, never the operator's drafts.
    pane.replaceChildren(
      el("section", { class: "head", id: "head" }),
      el("div", { class: "body" },
        el("div", { class: "thread" }, el("ol", { class: "history", id: "history" }), composer()),
        el("aside", { class: "side" }, el("section", { class: "facts", id: "facts" }), notes(), orders(id))));
    await drawConversation();
    call("POST", "/conversations/" + id + "/seen").then(refreshListSoon).catch(() => {});
  }

  async function drawConversation() {
    const id = state.open;
    if (id === null) return;
    const [detail, messages] = await Promise.all([
      call("GET", "/conversations/" + id),
      call("GET", "/conversations/" + id + "/messages?limit=200"),
    ]);
    if (state.open !== id) return;
    const c = detail.conversation;
    const historyList = pane.querySelector("#history");
    const atBottom = historyList.scrollTop + historyList.clientHeight >= historyList.scrollHeight - 20;
    pane.querySelector("#head").replaceChildren(
      el("h2", {}, (icons[c.channel] || "") + " " + (c.display_name || c.user_id)),
      el("p", { class: "meta" }, c.channel + " · " + c.user_id + " · ",
        el("span", { class: "badge " + c.state, id: "mode" }, states[c.state] || c.state),
        c.operator ? " · " + c.operator : "",
        c.handoff_reason ? el("span", { class: "reason" }, " · „" + c.handoff_reason + "”") : ""),
      actions(c));
    historyList.replaceChildren(...messages.items.slice().reverse().map((message) => bubble(message, c.channel)));
    pane.querySelector("#reply-text").placeholder = c.mode === "human" ? "Válasz / Reply" : "Válasz (a bot is válaszol) / Reply (the bot is on)";
    pane.querySelector("#facts").replaceChildren(...customerFacts(detail));
    pane.querySelector("#notes").replaceChildren(...detail.notes.map((n) =>
      el("li", {}, el("span", { class: "by" }, n.author + " · " + when(n.created_at)), el("p", {}, n.text))));
    if (atBottom) historyList.scrollTop = historyList.scrollHeight;
  }

  function actions(c) {
    const box = el("div", { class: "actions" });
    if (c.mode !== "human" || c.operator_id !== me) {
      box.append(el("button", { type: "button", id: "take-over", onclick: () => act("takeover") }, "Átveszem / Take over"));
    }
    if (c.mode === "human" || c.state === "waiting") {
      box.append(el("button", { type: "button", id: "release", class: "secondary", onclick: () => act("release") }, "Vissza a botnak / Release to bot"));
    }
    const select = el("select", { id: "assign-to", "aria-label": "Kiosztás / Assign" },
      el("option", { value: "" }, "Kiosztás… / Assign…"),
      state.operators.filter((o) => !o.disabled_at).map((o) => el("option", { value: o.id }, o.name + " <" + o.email + ">")));
    select.addEventListener("change", async () => {
      if (!select.value) return;
      await call("POST", "/conversations/" + state.open + "/assign", { operator_id: Number(select.value) }).catch((e) => flash(e.message, true));
      await drawConversation();
      refreshListSoon();
    });
    box.append(select);
    return box;
  }

  async function act(what) {
    try {
      await call("POST", "/conversations/" + state.open + "/" + what, {});
      await drawConversation();
      refreshListSoon();
    } catch (error) {
      flash(error.message, true);
    }
  }

  // A message as the customer saw it, from what was sent to their platform.
  function bubble(message, channel) {
    const outbound = message.direction === "out";
    const meta = message.metadata;
    const who = message.kind === "human_reply" ? "🧑 platform inbox"
      : meta && meta.operator ? "🧑 " + meta.operator : meta ? "🤖 " + meta.agent_type : "🤖";
    const content = outbound ? drawPayload(message, channel) : [el("p", {}, message.text || "[" + message.kind + "]")];
    const trace = meta && meta.nodes && meta.nodes.length
      ? el("details", { class: "trace" }, el("summary", {}, "miért / why: " + meta.agent_type + " " + Math.round((meta.confidence || 0) * 100) + "%"),
        el("ol", {}, meta.nodes.map((n) => el("li", {}, n.node + ": " + n.outcome + " (" + Number(n.milliseconds).toFixed(1) + " ms)"))))
      : null;
    return el("li", { class: "bubble " + (outbound ? "out" : "in") + (message.kind === "human_reply" ? " human" : ""), "data-status": message.status },
      outbound ? el("span", { class: "by" }, who) : null,
      content,
      trace,
      el("span", { class: "status" }, when(message.sent_at || message.created_at),
        outbound ? " · " + message.status + (message.error ? " — " + message.error : "") : "",
        message.sender_verified === false ? " · ⚠ unverified sender" : ""));
  }

  function drawPayload(message, channel) {
    let body = null;
    try { body = JSON.parse(message.payload || ""); } catch (_) { body = null; }
    const parts = [];
    const text = (value) => { if (value) parts.push(el("p", {}, value)); };
    const chips = (titles) => { if (titles.length) parts.push(el("div", { class: "chips" }, titles.map((t) => el("span", { class: "chip" }, t)))); };
    const cards = (items) => {
      if (!items.length) return;
      parts.push(el("div", { class: "cards" }, items.map((card) => el("div", { class: "card" },
        card.image ? el("img", { src: card.image, alt: "", loading: "lazy" }) : null,
        el("strong", {}, card.title || ""),
        card.subtitle ? el("span", {}, card.subtitle) : null,
        el("div", { class: "chips" }, (card.buttons || []).map((b) => el("span", { class: "chip" }, b)))))));
    };
    if (channel === "messenger" && body && body.message) {
      const m = body.message;
      text(m.text);
      const a = m.attachment;
      if (a && a.type === "template" && a.payload.template_type === "generic") {
        cards(a.payload.elements.map((e) => ({ title: e.title, subtitle: e.subtitle, image: e.image_url, buttons: (e.buttons || []).map((b) => b.title) })));
      } else if (a && a.type === "template" && a.payload.template_type === "button") {
        text(a.payload.text);
        chips(a.payload.buttons.map((b) => b.title));
      } else if (a && a.payload && a.payload.url) {
        cards([{ title: "", image: a.payload.url }]);
      }
      chips((m.quick_replies || []).map((q) => q.title));
      if (body.tag) parts.push(el("span", { class: "tag" }, body.messaging_type + " " + body.tag));
    } else if (channel === "whatsapp" && body) {
      if (body.type === "text") text(body.text.body);
      else if (body.type === "interactive") {
        const i = body.interactive;
        text(i.body && i.body.text);
        if (i.type === "button") chips(i.action.buttons.map((b) => b.reply.title));
        else if (i.type === "list") chips([].concat(...i.action.sections.map((s) => s.rows.map((r) => r.title))));
      } else if (body.type === "image") cards([{ title: body.image.caption || "", image: body.image.link }]);
      else if (body.type === "template") text("[template " + body.template.name + "]");
      else text(message.text);
    } else if (channel === "telegram" && body) {
      text(body.text || body.caption);
      if (body.photo) cards([{ title: "", image: body.photo }]);
      const keyboard = body.reply_markup && body.reply_markup.inline_keyboard;
      if (keyboard) chips([].concat(...keyboard).map((b) => b.text));
    } else if (channel === "widget" && body && body.reply) {
      const r = body.reply;
      text(r.text);
      cards((r.cards || []).map((c) => ({ title: c.title, subtitle: c.subtitle, image: c.image_url, buttons: (c.buttons || []).map((b) => b.title) })));
      chips((r.quick_replies || []).map((q) => q.title));
    } else if (channel === "email" && body && body.content) {
      const plain = body.content.find((c) => c.type === "text/plain");
      parts.push(el("pre", { class: "mail" }, (body.subject ? body.subject + "\n\n" : "") + (plain ? plain.value : "")));
    } else if (channel === "sms" && message.payload) {
      text(new URLSearchParams(message.payload).get("Body") || message.text);
    } else {
      text(message.text || "[" + message.kind + "]");
    }
    if (!parts.length) text(message.text || "[" + message.kind + "]");
    return parts;
  }

  // ---- the composer: text, quick replies, canned replies and product cards ----
  function composer() {
    const canned = el("select", { id: "canned", "aria-label": "Sablon / Canned reply" },
      el("option", { value: "" }, "Sablon… / Canned reply…"),
      state.canned.map((reply, index) => el("option", { value: index }, reply.title)));
    canned.addEventListener("change", () => {
      const reply = state.canned[Number(canned.value)];
      if (!reply) return;
      pane.querySelector("#reply-text").value = reply.text;
      pane.querySelector("#reply-quick").value = (reply.quick_replies || []).join(", ");
      canned.value = "";
    });
    const search = el("input", { type: "search", id: "product-search", placeholder: "Termék keresése / Find a product" });
    const results = el("ul", { id: "product-results", class: "products" });
    search.addEventListener("keydown", async (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      try {
        const answer = await call("GET", "/products?limit=8&q=" + encodeURIComponent(search.value));
        results.replaceChildren(...answer.products.map((p) => el("li", {},
          el("span", {}, p.name + " — " + Math.round(p.sale_price || p.price) + " Ft" + (p.in_stock ? "" : " (nincs készleten / out of stock)")),
          el("button", { type: "button", class: "secondary add-card", onclick: () => { state.cards.push(p); drawPicked(); } }, "+ kártya / card"))));
      } catch (error) { flash(error.message, true); }
    });
    const form = el("form", { id: "reply", class: "composer", onsubmit: sendReply },
      el("textarea", { id: "reply-text", rows: 3 }),
      el("input", { id: "reply-quick", placeholder: "Gyorsválaszok vesszővel / Quick replies, comma-separated" }),
      el("div", { id: "picked", class: "picked" }),
      el("div", { class: "row" }, canned, search, el("button", { type: "submit", id: "send" }, "Küldés / Send")),
      results);
    return form;
  }

  function drawPicked() {
    const picked = pane.querySelector("#picked");
    if (!picked) return;
    picked.replaceChildren(...state.cards.map((p, index) => el("span", { class: "chip" }, p.name,
      el("button", { type: "button", class: "link", "aria-label": "remove", onclick: () => { state.cards.splice(index, 1); drawPicked(); } }, "×"))));
  }

  async function sendReply(event) {
    event.preventDefault();
    const text = pane.querySelector("#reply-text").value.trim();
    const quick = pane.querySelector("#reply-quick").value.split(",").map((s) => s.trim()).filter(Boolean);
    const reply = {};
    if (text) reply.text = text;
    if (quick.length) reply.quick_replies = quick.map((title) => ({ title, payload: title }));
    if (state.cards.length) {
      reply.cards = state.cards.map((p) => ({
        title: p.name, subtitle: Math.round(p.sale_price || p.price) + " Ft", image_url: absolute(p.image_url),
        url: absolute(p.url), sku: p.sku, category: p.category || undefined,
        buttons: p.url ? [{ type: "url", title: "Megnézem / View", url: absolute(p.url) }] : [],
      }));
    }
    if (!reply.text && !reply.cards) { flash("Írj valamit / Write something", true); return; }
    try {
      await call("POST", "/conversations/" + state.open + "/replies", { reply });
      pane.querySelector("#reply-text").value = "";
      pane.querySelector("#reply-quick").value = "";
      pane.querySelector("#product-results").replaceChildren();
      state.cards = [];
      drawPicked();
      await drawConversation();
    } catch (error) {
      flash(error.message, true);
    }
  }

  // ---- beside the history ----
  function customerFacts(detail) {
    const consents = detail.consents.length
      ? detail.consents.map((c) => el("li", {}, c.topic + ": " + (c.granted ? "igen / yes" : "nem / no") + " (" + when(c.updated_at) + ")"))
      : [el("li", {}, "nincs / none")];
    return [
      el("h3", {}, "Ügyfél / Customer"),
      el("p", {}, detail.opted_out ? "⛔ leiratkozott a csatornáról / opted out of the channel" : "✔ elérhető / reachable"),
      el("h4", {}, "Hozzájárulások / Consents"), el("ul", { id: "consents" }, consents),
      detail.verified_contact ? el("p", {}, "Igazolt / Verified: " + detail.verified_contact + " " + detail.verified_orders.join(", ")) : null,
    ].filter(Boolean);
  }

  function notes() {
    const input = el("textarea", { id: "note-text", rows: 2, placeholder: "Belső jegyzet, az ügyfél nem látja / Internal note, never shown to the customer" });
    return el("section", { class: "notes" },
      el("h3", {}, "Jegyzetek / Notes"),
      el("ul", { id: "notes" }),
      el("form", {
        onsubmit: async (event) => {
          event.preventDefault();
          if (!input.value.trim()) return;
          try {
            await call("POST", "/conversations/" + state.open + "/notes", { text: input.value });
            input.value = "";
            await drawConversation();
          } catch (error) { flash(error.message, true); }
        },
      }, input, el("button", { type: "submit", id: "add-note", class: "secondary" }, "Jegyzet / Add note")));
  }

  function orders(id) {
    const box = el("section", { class: "orders" }, el("h3", {}, "Rendelések / Orders"), el("p", { class: "muted" }, "…"));
    call("GET", "/conversations/" + id + "/orders").then((items) => {
      box.replaceChildren(el("h3", {}, "Rendelések / Orders"), items.length
        ? el("ul", {}, items.map((o) => el("li", {}, (o.key || o.id || "") + " · " + (o.status || "") + " · " + (o.total !== undefined ? o.total + " Ft" : ""))))
        : el("p", { class: "muted" }, "nincs ismert rendelés / no known orders"));
    }).catch((error) => box.replaceChildren(el("h3", {}, "Rendelések / Orders"), el("p", { class: "muted" }, error.message)));
    return box;
  }

  // ---- live updates and notifications ----
  const live = document.getElementById("live");
  function listen() {
    const events = new EventSource(api + "/events");
    events.onopen = () => live.classList.add("on");
    events.onerror = () => live.classList.remove("on");
    events.onmessage = (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch (_) { return; }
      refreshListSoon();
      if (state.open !== null && (event.conversation_id === state.open || event.conversation_id === null || event.conversation_id === undefined)) {
        drawConversation().catch(() => {});
      }
      if (event.type === "handoff") notify(event);
    };
  }

  function notify(event) {
    const title = "Ügyfél kér segítséget / A customer asks for a person";
    const body = (event.customer || "") + (event.reason ? ": „" + event.reason + "”" : "");
    flash(title + " — " + body);
    if ("Notification" in window && Notification.permission === "granted") {
      const shown = new Notification(title, { body, tag: "handoff-" + event.conversation_id });
      shown.onclick = () => { window.focus(); openConversation(event.conversation_id); };
    }
  }

  document.getElementById("notify-on").addEventListener("click", () => {
    if (!("Notification" in window)) { flash("A böngésző nem támogatja / Not supported by this browser", true); return; }
    Notification.requestPermission().then((answer) => flash(answer === "granted" ? "Értesítések bekapcsolva / Notifications on" : answer));
  });

  // Campaigns: each with what became of its customers (GET /campaigns/{id}); one not yet done can be cancelled.
  async function showCampaigns() {
    const dialog = document.getElementById("campaigns");
    const page = await call("GET", "/campaigns?limit=20").catch((error) => { flash(error.message, true); return { items: [] }; });
    const reports = await Promise.all(page.items.map((c) => call("GET", "/campaigns/" + c.id).catch(() => c)));
    dialog.querySelector("tbody").replaceChildren(...reports.map((c) => {
      const counts = c.counts || {};
      const skipped = Object.entries(counts.skipped || {}).map(([reason, n]) => reason + " " + n).join(", ");
      const cancel = c.state === "scheduled" || c.state === "sending"
        ? el("button", { type: "button", class: "secondary cancel-campaign", onclick: async () => {
          await call("POST", "/campaigns/" + c.id + "/cancel").then(() => flash("Leállítva / Cancelled"), (error) => flash(error.message, true));
          showCampaigns();
        } }, "Leállítás / Cancel")
        : "";
      return el("tr", { "data-campaign": c.id }, el("td", {}, c.name), el("td", { class: "state" }, c.state), el("td", {}, when(c.send_at)),
        ...["targeted", "sent", "delivered", "read", "clicked", "unsubscribed", "failed"].map((name) => el("td", { class: name }, counts[name] || 0)),
        el("td", { class: "skipped" }, skipped), el("td", {}, cancel));
    }));
    if (!dialog.open) dialog.showModal();
  }
  document.getElementById("show-campaigns").addEventListener("click", () => showCampaigns());

  const auditButton = document.getElementById("show-audit");
  if (auditButton) {
    auditButton.addEventListener("click", async () => {
      const dialog = document.getElementById("audit");
      const page = await call("GET", "/audit-log?limit=100").catch((error) => { flash(error.message, true); return { items: [] }; });
      dialog.querySelector("tbody").replaceChildren(...page.items.map((a) =>
        el("tr", {}, el("td", {}, when(a.at)), el("td", {}, a.actor), el("td", {}, a.action), el("td", {}, a.conversation_id || ""), el("td", {}, a.detail || ""))));
      dialog.showModal();
    });
  }

  // ---- start ----
  filters.addEventListener("input", refreshListSoon);
  filters.addEventListener("submit", (event) => { event.preventDefault(); refreshListSoon(); });
  more.addEventListener("click", () => loadList(true).catch((error) => flash(error.message, true)));

  Promise.all([
    call("GET", "/operators").then((items) => { state.operators = items; }),
    call("GET", "/canned-replies").then((items) => { state.canned = items; }),
  ]).catch(() => {}).then(() => loadList(false)).then(() => {
    const wanted = Number(new URLSearchParams(location.search).get("conversation"));
    if (wanted) openConversation(wanted);
  }).catch((error) => flash(error.message, true));
  listen();
})();
