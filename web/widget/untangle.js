/*!
 * Untangle web chat widget: plain JavaScript, no dependencies.
 * Embed with one tag (see web/README.md for every attribute):
 *   <script src="https://your-site.example/untangle/untangle.js" data-server="https://rasa.your-site.example"
 *           data-country="GB" data-emergency="Emergency: 999; Refuge: 0808 2000 247"></script>
 * It talks to Rasa's REST channel (POST {server}/webhooks/rest/webhook) and keeps nothing on the device by default.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__untangleWidgetLoaded) return;
  window.__untangleWidgetLoaded = true;

  var STR = {
    subtitle: "Information and support. Not a person, not a therapist.",
    open: "Open chat",
    minimise: "Minimise chat",
    helpNow: "Get help now",
    quickExit: "Quick exit",
    exitHint: "Quick exit leaves this site at once. Shortcut: press Esc twice.",
    footer: "Quick exit: press Esc twice. This chat is not saved on this device.",
    inputLabel: "Type your message",
    placeholder: "Type your message\u2026",
    send: "Send",
    log: "Conversation",
    you: "You: ",
    typing: " is typing\u2026",
    choices: "Reply options",
    notSent: "Not sent. ",
    retry: "Retry",
    retryLabel: "Retry sending this message",
    offline: "Sorry, the chat cannot be reached right now.",
    offlineNumbers: "If you need help now, you can call:",
    offlineNoNumbers: "If you are in danger, call your local emergency number.",
    tryAgain: "Try again",
    cardTitle: "Help you can reach now",
    checkInTitle: "Free, confidential lines",
    call: "Call ",
    text: "Text ",
    chat: "Chat online",
    website: "Visit website",
    newTab: " (opens in a new tab)",
    image: "Image from the assistant",
    tooLong: "Thank you for writing all of that. It's a bit too long for me to take in at once. Could you send a shorter message, or just the part that matters most to you right now? If you feel unsafe, type \"help\".",
    busy: "I'm still answering your earlier messages. Please give me a moment."
  };
  var SENDER_KEY = "untangle.sender";
  var ESCAPE_WINDOW_MS = 1000;

  var config = readConfig();
  var ui = {};
  var state = { sender: null, greeted: false, exiting: false, lastEscape: 0, queue: Promise.resolve(), controllers: [] };

  document.addEventListener("keydown", onEscapeKey, true);
  whenReady(function () {
    buildUi();
    loadStylesheet(function () { ui.root.hidden = false; });
    if (config.startOpen) { // open, but leave the focus where the page put it
      showPanel(true);
      greetOnce();
    }
  });

  /* ---------- configuration (data- attributes of the script tag) ---------- */

  function attr(name, fallback) {
    var value = script.getAttribute("data-" + name);
    return value === null || value.trim() === "" ? fallback : value.trim();
  }

  function readConfig() {
    var greeting = attr("greeting", "/greet");
    var country = attr("country", "");
    return {
      server: httpUrl(attr("server", "http://localhost:5005"), "http://localhost:5005").replace(/\/+$/, ""),
      country: /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : "",
      exitUrl: httpUrl(attr("exit-url", ""), "https://www.google.com/"),
      title: attr("title", "Untangle"),
      accent: attr("accent", ""),
      accentText: attr("accent-text", ""),
      greeting: greeting.toLowerCase() === "none" ? "" : greeting,
      emergency: parseEmergencyNumbers(attr("emergency", "")),
      persist: attr("persist", "").toLowerCase() === "session",
      startOpen: /^(true|yes|open|1)$/i.test(attr("open", "")),
      timeoutMs: Math.max(1, Number(attr("timeout", "10")) || 10) * 1000,
      css: attr("css", "")
    };
  }

  function httpUrl(value, fallback) {
    try {
      var url = new URL(value, location.href);
      if (url.protocol === "https:" || url.protocol === "http:") return url.href;
    } catch (e) { /* not a URL */ }
    return fallback;
  }

  // "Emergency: 999; Refuge: 0808 2000 247" -> [{label: "Emergency", number: "999", tel: "999"}, ...]
  function parseEmergencyNumbers(value) {
    return value.split(/[;\n]/).map(function (part) {
      var colon = part.lastIndexOf(":");
      var number = part.slice(colon + 1).trim();
      return { label: colon > 0 ? part.slice(0, colon).trim() : "", number: number, tel: telNumber(number) };
    }).filter(function (entry) { return entry.tel; });
  }

  // The phone number a string starts with ("0808 2000 247 (24/7)" -> "0808 2000 247"; "call me" -> "").
  function firstNumber(value) {
    var match = /^\s*(\+?\d(?:[\d .\-]*\d)?)/.exec(typeof value === "string" ? value : "");
    return match ? match[1] : "";
  }

  function telNumber(value) {
    return firstNumber(value).replace(/[^\d+]/g, "");
  }

  /* ---------- sender id: memory only, sessionStorage only when data-persist="session" ---------- */

  function senderId() {
    if (!state.sender) state.sender = (config.persist && readSession()) || newId();
    if (config.persist) writeSession(state.sender);
    return state.sender;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function readSession() {
    try { return sessionStorage.getItem(SENDER_KEY); } catch (e) { return null; }
  }

  function writeSession(value) {
    try { sessionStorage.setItem(SENDER_KEY, value); } catch (e) { /* storage blocked: memory only */ }
  }

  function forgetSession() {
    try { sessionStorage.removeItem(SENDER_KEY); } catch (e) { /* nothing stored */ }
  }

  /* ---------- DOM helpers ---------- */

  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (key) {
      var value = props[key];
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function button(label, className, onClick, extra) {
    var props = { type: "button", class: className, text: label, onclick: onClick };
    Object.keys(extra || {}).forEach(function (key) { props[key] = extra[key]; });
    return el("button", props);
  }

  function srOnly(text, id) {
    return el("span", id ? { class: "ut-sr", id: id, text: text } : { class: "ut-sr", text: text });
  }

  function whenReady(fn) {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", fn, { once: true });
    else fn();
  }

  /* ---------- building the widget ---------- */

  function buildUi() {
    ui.root = el("section", { class: "ut-root", "aria-label": config.title + " chat", hidden: "" }, [
      srOnly(STR.exitHint, "ut-exit-hint"), buildDock(), buildPanel()
    ]);
    applyColours(ui.root);
    document.body.appendChild(ui.root);
  }

  function exitButton() {
    return button(STR.quickExit, "ut-btn ut-exit", quickExit, { "aria-describedby": "ut-exit-hint" });
  }

  function helpButton() {
    return button(STR.helpNow, "ut-btn ut-help", getHelpNow);
  }

  function buildDock() {
    ui.launcher = button(STR.open, "ut-btn ut-launcher", openChat, { "aria-controls": "ut-panel", "aria-expanded": "false" });
    ui.dock = el("div", { class: "ut-dock" }, [exitButton(), helpButton(), ui.launcher]);
    return ui.dock;
  }

  function buildPanel() {
    ui.log = el("div", { class: "ut-log", role: "log", "aria-live": "polite", "aria-label": STR.log, tabindex: "0" });
    ui.panel = el("div", { class: "ut-panel", id: "ut-panel", hidden: "" }, [
      buildHeader(), ui.log, buildForm(), el("p", { class: "ut-foot", text: STR.footer })
    ]);
    return ui.panel;
  }

  function buildHeader() {
    return el("div", { class: "ut-head" }, [
      el("div", { class: "ut-titles" }, [
        el("h2", { class: "ut-title", text: config.title }),
        el("p", { class: "ut-sub", text: STR.subtitle })
      ]),
      el("button", { type: "button", class: "ut-min", onclick: closeChat }, [
        el("span", { "aria-hidden": "true", text: "\u2013" }), srOnly(STR.minimise)
      ]),
      el("div", { class: "ut-tools" }, [helpButton(), exitButton()])
    ]);
  }

  function buildForm() {
    ui.input = el("textarea", {
      id: "ut-input", class: "ut-input", rows: "2", maxlength: "2000", autocomplete: "off",
      placeholder: STR.placeholder, onkeydown: onInputKey
    });
    ui.form = el("form", { class: "ut-form", autocomplete: "off", onsubmit: onSubmit }, [
      el("label", { for: "ut-input", class: "ut-sr", text: STR.inputLabel }),
      ui.input,
      el("button", { type: "submit", class: "ut-btn ut-send", text: STR.send })
    ]);
    return ui.form;
  }

  function loadStylesheet(done) {
    var finish = function () { if (done) { done(); done = null; } };
    if (config.css.toLowerCase() === "none") return finish();
    var href = config.css ? httpUrl(config.css, "") : new URL("untangle.css", script.src).href;
    var link = el("link", { rel: "stylesheet", href: href, onload: finish, onerror: finish });
    document.head.appendChild(link);
    setTimeout(finish, 2000); // never leave quick exit hidden because a stylesheet is slow
  }

  function applyColours(root) {
    if (!config.accent || !CSS.supports("color", config.accent)) return;
    var onAccent = CSS.supports("color", config.accentText) ? config.accentText : readableTextOn(config.accent);
    root.style.setProperty("--ut-accent", config.accent);
    root.style.setProperty("--ut-on-accent", onAccent);
  }

  // White or near-black, whichever contrasts more with the colour (WCAG relative luminance).
  function readableTextOn(colour) {
    var probe = el("span");
    probe.style.color = colour;
    document.body.appendChild(probe);
    var computed = getComputedStyle(probe).color;
    probe.remove();
    if (!/^rgba?\(/.test(computed)) return "#ffffff";
    var rgb = computed.match(/[\d.]+/g).slice(0, 3).map(Number);
    var lum = rgb.map(function (c) {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    return 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#ffffff" : "#111111";
  }

  /* ---------- opening, closing, help now ---------- */

  function showPanel(open) {
    ui.panel.hidden = !open;
    ui.dock.hidden = open;
    ui.root.classList.toggle("ut-open", open);
  }

  function greetOnce() {
    if (state.greeted) return;
    state.greeted = true;
    if (config.greeting) send(config.greeting, null);
  }

  function openChat() {
    showPanel(true);
    ui.input.focus();
    greetOnce();
  }

  function closeChat() {
    showPanel(false);
    ui.launcher.focus();
  }

  function getHelpNow() {
    state.greeted = true; // the person asked for help: skip the greeting
    openChat();
    send("/help_now", STR.helpNow);
  }

  /* ---------- quick exit ---------- */

  function onEscapeKey(event) {
    if (event.key !== "Escape" && event.key !== "Esc") return;
    var now = Date.now();
    if (now - state.lastEscape <= ESCAPE_WINDOW_MS) quickExit(event);
    else state.lastEscape = now;
  }

  function quickExit(event) {
    if (event && event.preventDefault) event.preventDefault();
    state.exiting = true;
    try {
      document.documentElement.style.setProperty("visibility", "hidden", "important");
      var sender = state.sender || (config.persist && readSession());
      clearChat();
      if (sender) endConversation(sender);
      forgetSession();
    } finally {
      location.replace(config.exitUrl);
    }
  }

  function clearChat() {
    state.controllers.forEach(function (controller) { controller.abort(); });
    if (!ui.root) return;
    ui.log.textContent = "";
    ui.input.value = "";
    ui.root.remove();
  }

  // "/restart" ends the conversation on the server. text/plain keeps it a simple request (no CORS preflight),
  // so it can outlive the page with keepalive; Rasa parses the JSON body whatever the content type.
  function endConversation(sender) {
    try {
      fetch(config.server + "/webhooks/rest/webhook", {
        method: "POST", keepalive: true, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
        headers: { "Content-Type": "text/plain;charset=UTF-8" },
        body: JSON.stringify({ sender: sender, message: "/restart" })
      }).catch(function () { /* the page is leaving anyway */ });
    } catch (e) { /* fetch unavailable: nothing to end */ }
  }

  /* ---------- sending ---------- */

  function onInputKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.form.requestSubmit ? ui.form.requestSubmit() : onSubmit(event);
    }
  }

  function onSubmit(event) {
    event.preventDefault();
    var text = ui.input.value.trim();
    if (!text) return;
    ui.input.value = "";
    send(text, text);
  }

  // shownAs: what the person's bubble says (null: nothing shown, e.g. the greeting).
  function send(message, shownAs) {
    var item = { message: message, bubble: shownAs ? addUserBubble(shownAs) : null };
    enqueue(item);
  }

  // One request at a time, in order; a failure never stops the messages queued after it.
  function enqueue(item) {
    state.queue = state.queue.then(function () { return deliver(item); }).catch(function () { /* shown already */ });
  }

  function deliver(item) {
    if (state.exiting) return null;
    var typing = showTyping();
    return postToRasa(item.message).then(function (replies) {
      typing.remove();
      markSent(item);
      var firstNew = ui.log.childElementCount;
      withoutTextsOfCards(replies).forEach(renderReply);
      revealFrom(ui.log.children[firstNew]);
    }, function () {
      typing.remove();
      if (!state.exiting) showFailure(item);
    });
  }

  function postToRasa(message) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, config.timeoutMs);
    state.controllers.push(controller);
    var body = { sender: senderId(), message: message, metadata: config.country ? { country: config.country } : {} };
    return fetch(config.server + "/webhooks/rest/webhook", {
      method: "POST", credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer",
      headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal: controller.signal
    }).then(function (response) {
      // The server's refusals a person can act on become a reply; any other error shows the failure notice.
      if (response.status === 413 || response.status === 429) {
        return [{ text: response.status === 413 ? STR.tooLong : STR.busy }];
      }
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      return Array.isArray(data) ? data : [];
    }).finally(function () {
      clearTimeout(timer);
      state.controllers.splice(state.controllers.indexOf(controller), 1);
    });
  }

  function retry(item) {
    if (item.notice) item.notice.remove();
    if (item.bubble) {
      item.bubble.classList.remove("ut-failed");
      if (item.status) item.status.remove();
    }
    ui.input.focus();
    enqueue(item);
  }

  /* ---------- rendering ---------- */

  function append(node) {
    ui.log.appendChild(node);
    ui.log.scrollTop = ui.log.scrollHeight;
    return node;
  }

  // Scroll so that a long reply (a crisis card) is read from its start; a short one just scrolls to the end.
  function revealFrom(node) {
    if (node) ui.log.scrollTop = node.offsetTop - 12;
  }

  function addUserBubble(text) {
    return append(el("div", { class: "ut-msg ut-user" }, [srOnly(STR.you), text]));
  }

  function addBotBubble(text) {
    var bubble = el("div", { class: "ut-msg ut-bot" }, [srOnly(config.title + ": ")]);
    appendLinkedText(bubble, text);
    return append(bubble);
  }

  function showTyping() {
    return append(el("div", { class: "ut-typing" }, [
      el("span", { class: "ut-dots", "aria-hidden": "true" }, [el("i"), el("i"), el("i")]),
      srOnly(config.title + STR.typing)
    ]));
  }

  // A crisis card names the text message it stands for (`lines_text`: the lines as text, for other channels); the
  // widget shows the card alone, so the person does not read the same lines twice.
  function withoutTextsOfCards(replies) {
    var shownAsCards = replies.map(function (reply) {
      var custom = reply && reply.custom;
      return custom && custom.type === "crisis_referral" && typeof custom.lines_text === "string" ? custom.lines_text : null;
    }).filter(Boolean);
    // the lines for an unknown country come with country buttons: those keep their buttons, not the text
    return replies.map(function (reply) {
      var textOfCard = reply && typeof reply.text === "string" && !reply.custom && shownAsCards.indexOf(reply.text) >= 0;
      if (!textOfCard) return reply;
      return reply.buttons && reply.buttons.length ? { buttons: reply.buttons } : null;
    }).filter(Boolean);
  }

  function renderReply(message) {
    if (!message || typeof message !== "object") return;
    if (typeof message.text === "string" && message.text.trim()) addBotBubble(message.text);
    if (typeof message.image === "string") addImage(message.image);
    if (message.custom && message.custom.type === "crisis_referral") addCrisisCard(message.custom);
    if (Array.isArray(message.buttons) && message.buttons.length) addChoices(message.buttons);
  }

  function addImage(src) {
    var href = httpUrl(src, "");
    if (!/^https?:\/\//i.test(src) || !href) return;
    append(el("img", { class: "ut-img", src: href, alt: STR.image, referrerpolicy: "no-referrer", loading: "lazy" }));
  }

  // [label](url) or a bare http(s)/tel/sms URL; anything else (javascript:, data:, HTML) stays plain text.
  var LINK_PATTERN = /\[([^\[\]\n]{1,300})\]\(([^()\s]{1,2000})\)|\b(https?:\/\/[^\s<>"'`]+|(?:tel|sms):\+?\d[\d().\-]*(?:\?body=[^\s<>"'`]*)?)/gi;

  function appendLinkedText(parent, text) {
    var pattern = new RegExp(LINK_PATTERN.source, "gi");
    var last = 0;
    var afterCall = false; // a call button is a line of its own: the text after it starts without a gap
    var match;
    function plain(part) {
      return document.createTextNode(afterCall ? part.replace(/^\s+/, "") : part);
    }
    while ((match = pattern.exec(text))) {
      var url = match[2] || match[3];
      var end = match.index + match[0].length;
      if (match[3]) { // leave trailing punctuation of a bare URL outside the link
        url = url.replace(/[.,;:!?)\]'"]+$/, "");
        end = match.index + url.length;
        pattern.lastIndex = end;
      }
      var href = safeHref(url);
      parent.appendChild(plain(text.slice(last, match.index)));
      parent.appendChild(href ? linkIn(href, match[1]) : document.createTextNode(text.slice(match.index, end)));
      afterCall = Boolean(href && /^tel:/i.test(href));
      last = end;
    }
    parent.appendChild(plain(text.slice(last)));
  }

  // A phone number in a bot bubble ("[Call 999](tel:999)", the emergency number first) is a big call button, as in
  // the crisis card; any other link stays a link in the text.
  function linkIn(href, label) {
    if (/^tel:/i.test(href)) return link(href, label || STR.call + href.slice(4), "ut-action ut-call ut-call-inline");
    return link(href, label || href);
  }

  function safeHref(url) {
    if (/^(tel|sms):/i.test(url)) {
      return /^(tel|sms):\+?\d[\d().\-]*(\?body=[^\s<>"'`]*)?$/i.test(url) ? url : null;
    }
    return /^https?:\/\//i.test(url) && httpUrl(url, "") || null;
  }

  function link(href, label, className) {
    var external = /^https?:/i.test(href);
    var props = { href: href, class: className || "ut-link" };
    if (external) { props.target = "_blank"; props.rel = "noopener noreferrer"; }
    return el("a", props, [label, external ? srOnly(STR.newTab) : null]);
  }

  function addChoices(buttons) {
    var group = el("div", { class: "ut-choices", role: "group", "aria-label": STR.choices });
    buttons.forEach(function (choice) {
      if (!choice || typeof choice.title !== "string" || typeof choice.payload !== "string") return;
      group.appendChild(button(choice.title, "ut-choice", function (event) { choose(group, event.currentTarget, choice); }));
    });
    if (group.childNodes.length) append(group);
  }

  function choose(group, chosen, choice) {
    Array.prototype.forEach.call(group.querySelectorAll("button"), function (b) { b.disabled = true; });
    chosen.classList.add("ut-chosen");
    ui.input.focus();
    send(choice.payload, choice.title);
  }

  function markSent(item) {
    if (item.bubble) item.bubble.classList.add("ut-sent");
  }

  function showFailure(item) {
    if (item.bubble) {
      item.bubble.classList.add("ut-failed");
      item.status = el("span", { class: "ut-status" }, [
        STR.notSent, button(STR.retry, "ut-retry", function () { retry(item); }, { "aria-label": STR.retryLabel })
      ]);
      item.bubble.appendChild(item.status);
    }
    item.notice = append(buildFallback(function () { retry(item); }));
  }

  // Shown when the server cannot be reached: the organisation's own numbers, from the page, still work.
  function buildFallback(onRetry) {
    var numbers = config.emergency.map(function (entry) {
      var label = (entry.label ? entry.label + ": " : "") + entry.number;
      return el("li", {}, [link("tel:" + entry.tel, label, "ut-action ut-call")]);
    });
    return el("div", { class: "ut-msg ut-bot ut-fallback" }, [
      el("p", { class: "ut-strong", text: STR.offline }),
      el("p", { text: numbers.length ? STR.offlineNumbers : STR.offlineNoNumbers }),
      numbers.length ? el("ul", { class: "ut-numbers" }, numbers) : null,
      button(STR.tryAgain, "ut-btn ut-retry-all", onRetry)
    ]);
  }

  function addCrisisCard(data) {
    var lines = Array.isArray(data.lines) ? data.lines.filter(function (l) { return l && typeof l === "object"; }) : [];
    // A check-in (beside an ordinary reply) is a compact card: each line's name and buttons, no details.
    var compact = data.level === "check_in";
    var title = compact ? STR.checkInTitle : STR.cardTitle;
    var card = el("div", { class: compact ? "ut-card ut-card-compact" : "ut-card", role: "group", "aria-label": title }, [
      el("h3", { class: "ut-card-title", text: title }),
      el("ul", { class: "ut-lines" }, lines.map(function (line) { return buildLine(line, compact); }))
    ]);
    card.setAttribute("data-level", compact ? "check_in" : "urgent");
    if (typeof data.category === "string") card.setAttribute("data-category", data.category);
    if (typeof data.country === "string") card.setAttribute("data-country", data.country);
    append(card);
  }

  function buildLine(line, compact) {
    var actions = [callAction(line.phone), textAction(line), chatAction(line.chat_url, STR.chat),
                   chatAction(line.web_url, STR.website)];
    var details = compact ? [] : [
      line.hours, line.notes, unlinked("Phone", line.phone, actions[0]), unlinked("Text", line.text, actions[1])
    ].filter(function (v) { return typeof v === "string" && v.trim(); });
    return el("li", { class: "ut-line" }, [
      el("p", { class: "ut-line-name", text: String(line.name || "") }),
      details.length ? el("p", { class: "ut-line-details", text: details.join(" \u00b7 ") }) : null,
      el("div", { class: "ut-actions" }, actions)
    ]);
  }

  // A phone/text field that says more than its button does ("1-800-799-7233 (TTY 1-800-787-3224)") is also shown.
  function unlinked(label, value, action) {
    if (typeof value !== "string" || !value.trim()) return null;
    var said = action ? action.textContent.toLowerCase() : "";
    return said.indexOf(value.trim().toLowerCase()) >= 0 ? null : label + ": " + value.trim();
  }

  function callAction(phone) {
    var number = firstNumber(phone);
    return number ? link("tel:" + telNumber(number), STR.call + number, "ut-action ut-call") : null;
  }

  // The assistant's sms_number / sms_body when it sends them, else read from `text`: "(text) SHOUT to 85258" ->
  // sms:85258?body=SHOUT labelled "Text SHOUT to 85258"; "(text) 1737" -> sms:1737.
  function textAction(line) {
    var text = typeof line.text === "string" ? line.text : "";
    var keyword = /^\s*(?:text\s+)?([A-Za-z0-9]+)\s+to\s+(\+?\d[\d .\-]*\d)\s*$/i.exec(text);
    var shown = keyword ? keyword[2].trim() : firstNumber(text.replace(/^\s*text\s+/i, ""));
    var body = typeof line.sms_body === "string" && line.sms_body.trim() ? line.sms_body.trim() : "";
    if (!body && keyword) body = keyword[1];
    var number = telNumber(typeof line.sms_number === "string" ? line.sms_number : "") || telNumber(shown);
    if (!number) return null;
    var label = STR.text + (body ? body + " to " : "") + (telNumber(shown) === number ? shown : number);
    return link("sms:" + number + (body ? "?body=" + encodeURIComponent(body) : ""), label, "ut-action ut-text");
  }

  function chatAction(url, label) {
    var href = typeof url === "string" && /^https:\/\//i.test(url) ? httpUrl(url, "") : "";
    return href ? link(href, label, "ut-action ut-chat") : null;
  }
})();
