// Tandem web chat: act as a sandbox user and chat with the bot through /control.
// Plain browser JavaScript, no build step and no third-party code.
(() => {
  "use strict";

  const POLL_SECONDS = 25;
  const RETRY_FIRST_MS = 1000;
  const RETRY_MAX_MS = 15000;
  const TOAST_MS = 4000;
  const TYPING_MS = 5000;
  const PRESSED_MS = 1500;
  const NEAR_BOTTOM_PX = 160;
  const SMOOTH_SCROLL_MS = 700;
  // after= beyond any real seq: the reply is empty but its `last` is the chat's newest seq.
  const LATEST = 999999999;
  const INVITED_KEY = "tandem-webchat-invited";
  const FEED_PAGE = 5000;

  const $ = (id) => document.getElementById(id);
  const ui = {
    app: $("app"),
    directoryTitle: $("directory-title"),
    peopleList: $("people-list"),
    newPerson: $("new-person"),
    peopleToggle: $("people-toggle"),
    peopleClose: $("people-close"),
    botName: $("bot-name"),
    botAvatar: $("bot-avatar"),
    chatStatus: $("chat-status"),
    banner: $("connection-banner"),
    messages: $("messages"),
    welcome: $("welcome"),
    welcomeHints: $("welcome-hints"),
    messageList: $("message-list"),
    commandsPopup: $("commands-popup"),
    attachPopup: $("attach-popup"),
    composer: $("composer"),
    commandsButton: $("commands-button"),
    attachButton: $("attach-button"),
    input: $("composer-input"),
    send: $("composer-send"),
    toasts: $("toasts"),
    newPersonDialog: $("new-person-dialog"),
    newPersonForm: $("new-person-form"),
    newPersonIntro: $("new-person-intro"),
    newPersonName: $("new-person-name"),
    newPersonError: $("new-person-error"),
    newPersonCancel: $("new-person-cancel"),
    newPersonCreate: $("new-person-create"),
    alertDialog: $("alert-dialog"),
    alertText: $("alert-text"),
  };

  const state = {
    bot: { first_name: "Tandem", username: "" },
    directory: { title: "", people: [], invite: null, hints: [] },
    users: new Map(), // user id -> Telegram User dict
    unread: new Map(), // user id -> bot messages not yet seen in that chat
    invited: loadInvited(), // people made here with "+ A new person": they get the invite card
    offline: new Set(), // which loops currently fail to reach the sandbox
    chat: null, // the open chat session (see openChat)
    feedAfter: 0, // position in /control/events, the all-chats feed
    feedResync: false, // set when the sandbox looks reset: find the feed's end again
    scrollingUntil: 0, // when the current smooth scroll to the end should be done
    newPersonStart: null, // null: "+ A new person"; a string: the start code of a tapped link
  };

  // ------------------------------------------------------------------ small helpers

  class ApiError extends Error {
    constructor(status, description) {
      super(description);
      this.status = status;
    }
  }

  async function api(path, { method = "GET", body, signal } = {}) {
    const init = { method, signal, headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const data = await response.json().catch(() => null);
    if (!response.ok) {
      throw new ApiError(response.status, (data && data.description) || response.statusText);
    }
    return data;
  }

  const isAbort = (error) => error && error.name === "AbortError";
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function problemText(error) {
    if (error instanceof ApiError) return `The sandbox said: ${error.message}`;
    return "The sandbox can't be reached. Is it still running?";
  }

  // Builds an element; props: text, className, on<event> handlers, anything else an attribute.
  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "className") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of [].concat(children)) {
      if (child !== null && child !== undefined && child !== false) node.append(child);
    }
    return node;
  }

  function loadInvited() {
    try {
      return new Set(JSON.parse(sessionStorage.getItem(INVITED_KEY) || "[]"));
    } catch {
      return new Set();
    }
  }

  function saveInvited() {
    try {
      sessionStorage.setItem(INVITED_KEY, JSON.stringify([...state.invited]));
    } catch {
      // Private browsing may refuse storage; the card then lasts until a reload.
    }
  }

  function setOffline(source, offline) {
    if (offline) state.offline.add(source);
    else state.offline.delete(source);
    ui.banner.hidden = state.offline.size === 0;
  }

  function toast(text) {
    const node = el("div", { className: "toast", "data-testid": "toast", text });
    ui.toasts.append(node);
    setTimeout(() => node.remove(), TOAST_MS);
  }

  function showAlert(text) {
    ui.alertText.textContent = text;
    if (!ui.alertDialog.open) ui.alertDialog.showModal();
  }

  function fullName(user) {
    return [user.first_name, user.last_name].filter(Boolean).join(" ");
  }

  function avatar(label, id) {
    const initial = (label.trim()[0] || "?").toUpperCase();
    const props = { className: "avatar", "aria-hidden": "true", "data-hue": id % 6 };
    return el("span", { ...props, text: initial });
  }

  // ------------------------------------------------------------------ people panel

  function peopleEntries() {
    const entries = [];
    const listed = new Set();
    for (const person of state.directory.people) {
      listed.add(person.user_id);
      entries.push({
        id: person.user_id,
        label: person.label,
        note: person.note,
        role: person.role,
        missing: !state.users.has(person.user_id),
      });
    }
    const others = [...state.users.values()].filter((user) => !listed.has(user.id));
    others.sort((a, b) => a.id - b.id);
    for (const user of others) {
      const note = user.username ? `@${user.username}` : "Sandbox user";
      entries.push({ id: user.id, label: fullName(user), note, role: null, missing: false });
    }
    return entries;
  }

  function renderPeople() {
    const current = state.chat && state.chat.userId;
    const active = document.activeElement;
    const focused = ui.peopleList.contains(active) ? active.dataset.userId : null;
    const items = peopleEntries().map((entry) => el("li", {}, personButton(entry, current)));
    ui.peopleList.replaceChildren(...items);
    const again = focused && ui.peopleList.querySelector(`[data-user-id="${focused}"]`);
    if (again) again.focus({ preventScroll: true });
  }

  function personButton(entry, current) {
    const unread = state.unread.get(entry.id) || 0;
    const note = entry.missing ? `${entry.note || ""} (not in the sandbox yet)`.trim() : entry.note;
    return el(
      "button",
      {
        type: "button",
        className: entry.missing ? "person missing" : "person",
        "data-testid": "person",
        "data-user-id": entry.id,
        "data-role": entry.role,
        "aria-current": entry.id === current ? "true" : null,
        onclick: () => {
          choosePerson(entry.id);
          if (!ui.input.disabled) ui.input.focus();
        },
      },
      [
        avatar(entry.label, entry.id),
        el("span", { className: "person-text" }, [
          el("span", { className: "person-name", "data-testid": "person-label" }, entry.label),
          note ? el("span", { className: "person-note", "data-testid": "person-note" }, note) : null,
        ]),
        unread > 0 ? unreadBadge(unread) : null,
      ],
    );
  }

  function unreadBadge(count) {
    const props = { className: "unread", "data-testid": "unread", "aria-label": `${count} new` };
    return el("span", { ...props, text: String(count) });
  }

  async function refreshUsers() {
    const users = await api("/control/users");
    const before = state.users.size;
    state.users = new Map(users.map((user) => [user.id, user]));
    // Fewer users than before means the sandbox was reset: its feed starts again too.
    if (state.users.size < before) state.feedResync = true;
    renderPeople();
  }

  function renderDirectory() {
    const title = state.directory.title || `${state.bot.first_name} web chat`;
    ui.directoryTitle.textContent = title;
    document.title = title;
    const hints = state.directory.hints.map((hint) => el("li", { text: hint }));
    ui.welcomeHints.replaceChildren(...hints);
    ui.welcomeHints.hidden = hints.length === 0;
  }

  function showView(view) {
    ui.app.dataset.view = view;
    ui.peopleToggle.setAttribute("aria-expanded", String(view === "people"));
  }

  // ------------------------------------------------------------------ opening a chat

  function hashUserId() {
    const match = /^#user=(\d+)$/.exec(location.hash);
    return match ? Number(match[1]) : null;
  }

  function choosePerson(userId) {
    openChat(userId);
    if (hashUserId() !== userId) location.hash = `user=${userId}`;
  }

  function openFromHash() {
    const userId = hashUserId();
    if (userId === null) closeChat();
    else openChat(userId);
  }

  function closeChat() {
    if (state.chat) endSession(state.chat);
    state.chat = null;
    ui.app.dataset.chatOpen = "false";
    ui.messageList.replaceChildren();
    ui.welcome.hidden = false;
    setComposerEnabled(false);
    setOffline("chat", false);
    renderHeader();
    renderPeople();
    showView("people");
  }

  function openChat(userId) {
    if (state.chat && state.chat.userId === userId && !state.chat.failed) {
      showView("chat");
      return;
    }
    if (state.chat) endSession(state.chat);
    const session = {
      userId,
      after: 0,
      controller: new AbortController(),
      nodes: new Map(), // message_id -> <li>
      pressed: null,
      typingTimer: null,
      commands: null, // the command menu, as last fetched
      commandsTimer: null,
      failed: false, // the chat could not be shown; choosing the person again retries
    };
    state.chat = session;
    state.unread.delete(userId);
    ui.app.dataset.chatOpen = "true";
    ui.welcome.hidden = true;
    ui.messageList.replaceChildren();
    setOffline("chat", false);
    setComposerEnabled(true);
    renderHeader();
    renderPeople();
    showView("chat");
    startChat(session);
  }

  function endSession(session) {
    session.controller.abort();
    clearTimeout(session.commandsTimer);
    clearTimeout(session.typingTimer);
    clearPressed(session);
  }

  async function startChat(session) {
    try {
      if (!state.users.has(session.userId)) await refreshUsers();
      if (!state.users.has(session.userId)) throw new ApiError(404, "no such user");
      await loadChat(session);
    } catch (error) {
      if (!isAbort(error)) chatProblem(session, error);
      return;
    }
    pollChat(session);
  }

  async function loadChat(session) {
    const { signal } = session.controller;
    const id = session.userId;
    const head = await api(`/control/chats/${id}/events?after=${LATEST}&timeout=0`, { signal });
    const snapshots = await api(`/control/chats/${id}/messages`, { signal });
    if (state.chat !== session) return;
    session.after = head.last;
    session.nodes.clear();
    // Busy while the transcript is rebuilt, so screen readers do not read it all out.
    ui.messages.setAttribute("aria-busy", "true");
    ui.messageList.replaceChildren();
    for (const snapshot of snapshots) upsertMessage(session, snapshot);
    renderStartCard(session);
    ui.messages.removeAttribute("aria-busy");
    scrollToEnd({ smooth: false });
    refreshCommands(session);
  }

  function chatProblem(session, error) {
    if (state.chat !== session) return;
    session.failed = true;
    setComposerEnabled(false);
    const text =
      error instanceof ApiError && error.status === 404
        ? "This person isn't in the sandbox (yet). Choose someone else, or add a new person."
        : problemText(error);
    const notice = el("li", { className: "chat-problem", "data-testid": "chat-problem", text });
    ui.messageList.replaceChildren(notice);
    refreshUsers().catch(() => {});
  }

  function renderHeader() {
    ui.botName.textContent = state.bot.first_name;
    ui.botAvatar.textContent = (state.bot.first_name[0] || "T").toUpperCase();
    const user = state.chat && state.users.get(state.chat.userId);
    const handle = state.bot.username ? `@${state.bot.username}` : "bot";
    ui.chatStatus.textContent = user ? `${handle} · you are ${fullName(user)}` : handle;
  }

  function setComposerEnabled(enabled) {
    for (const control of [ui.input, ui.send, ui.commandsButton, ui.attachButton]) {
      control.disabled = !enabled;
    }
    if (!enabled) closePopups();
  }

  // ------------------------------------------------------------------ live events

  async function pollChat(session) {
    let retry = RETRY_FIRST_MS;
    let stale = false; // after a lost connection the sandbox may have restarted: reload
    while (state.chat === session) {
      try {
        if (stale) {
          await loadChat(session);
          setOffline("chat", false);
          stale = false;
        }
        const { signal } = session.controller;
        const query = `after=${session.after}&timeout=${POLL_SECONDS}`;
        const data = await api(`/control/chats/${session.userId}/events?${query}`, { signal });
        if (state.chat !== session) return;
        setOffline("chat", false);
        retry = RETRY_FIRST_MS;
        // Fewer events than we have seen: the sandbox was reset and this id made again.
        stale = data.last < session.after;
        if (stale) continue;
        for (const event of data.events) applyEvent(session, event);
        session.after = data.last;
      } catch (error) {
        if (isAbort(error) || state.chat !== session) return;
        if (error instanceof ApiError && error.status === 404) {
          chatProblem(session, error);
          return;
        }
        setOffline("chat", true);
        stale = true;
        await sleep(retry);
        retry = Math.min(retry * 2, RETRY_MAX_MS);
      }
    }
  }

  function applyEvent(session, event) {
    switch (event.type) {
      case "message":
      case "edit":
        upsertMessage(session, event.message, { live: true });
        refreshCommandsSoon(session);
        break;
      case "user_message":
      case "user_edit":
        upsertMessage(session, event.message, { live: true });
        break;
      case "delete":
        removeMessage(session, event.message.message_id);
        break;
      case "callback_answer":
        showCallbackAnswer(session, event.callback_answer);
        break;
      case "chat_action":
        showTyping(session, event.action);
        break;
      default:
        break;
    }
  }

  // Watches every chat, to badge people who got a message and to list people made elsewhere.
  async function watchFeed() {
    let retry = RETRY_FIRST_MS;
    let synced = false;
    for (;;) {
      try {
        if (!synced || state.feedResync) {
          await findFeedEnd({ reload: synced || state.feedResync });
          synced = true;
        }
        const query = `after=${state.feedAfter}&timeout=${POLL_SECONDS}&limit=${FEED_PAGE}`;
        const data = await api(`/control/events?${query}`);
        setOffline("feed", false);
        retry = RETRY_FIRST_MS;
        state.feedAfter = data.last;
        noteFeed(data.events);
        if (data.events.length === 0) await refreshUsers();
      } catch (error) {
        setOffline("feed", true);
        synced = false;
        await sleep(retry);
        retry = Math.min(retry * 2, RETRY_MAX_MS);
      }
    }
  }

  // Skips what happened before the page looked; after a lost connection or a reset, the
  // sandbox may be a new one, so its people and directory are fetched again too.
  async function findFeedEnd({ reload }) {
    state.feedResync = false;
    state.feedAfter = 0;
    for (;;) {
      const query = `after=${state.feedAfter}&timeout=0&limit=${FEED_PAGE}`;
      const data = await api(`/control/events?${query}`);
      state.feedAfter = data.last;
      if (data.events.length < FEED_PAGE) break;
    }
    setOffline("feed", false);
    if (!reload) return;
    state.directory = await api("/control/directory");
    renderDirectory();
    await refreshUsers();
  }

  function noteFeed(events) {
    let changed = false;
    let unknown = false;
    for (const event of events) {
      if (!state.users.has(event.chat_id)) unknown = true;
      const open = state.chat && state.chat.userId === event.chat_id;
      if (event.type === "message" && !open) {
        state.unread.set(event.chat_id, (state.unread.get(event.chat_id) || 0) + 1);
        changed = true;
      }
    }
    if (unknown) refreshUsers().catch(() => {});
    else if (changed) renderPeople();
  }

  // ------------------------------------------------------------------ messages

  function upsertMessage(session, snapshot, { live = false } = {}) {
    if (state.chat !== session) return;
    if (snapshot.deleted) {
      removeMessage(session, snapshot.message_id);
      return;
    }
    const old = session.nodes.get(snapshot.message_id);
    const follow = live && ((!old && snapshot.from === "user") || nearEnd());
    const node = renderMessage(snapshot);
    if (old) {
      replaceKeepingFocus(old, node);
    } else {
      insertInOrder(node, snapshot.message_id);
      dropStartCard(session);
    }
    session.nodes.set(snapshot.message_id, node);
    if (snapshot.from === "bot") stopTyping(session);
    if (follow) scrollToEnd();
  }

  function insertInOrder(node, messageId) {
    const later = [...ui.messageList.querySelectorAll(":scope > [data-message-id]")].find(
      (item) => Number(item.dataset.messageId) > messageId,
    );
    ui.messageList.insertBefore(node, later || null);
  }

  // An edit re-renders the message; keep keyboard focus on the same button if it had it.
  function replaceKeepingFocus(old, node) {
    const focused = old.contains(document.activeElement) ? document.activeElement : null;
    const key = focused && focused.dataset.key;
    old.replaceWith(node);
    if (!focused) return;
    const again = key ? node.querySelector(`[data-key="${key}"]`) : null;
    (again || node).focus({ preventScroll: true });
  }

  function removeMessage(session, messageId) {
    const node = session.nodes.get(messageId);
    if (node) node.remove();
    session.nodes.delete(messageId);
  }

  function renderMessage(snapshot) {
    const fromBot = snapshot.from === "bot";
    const who = fromBot ? `${state.bot.first_name} said:` : "You said:";
    const bubble = el("div", { className: "bubble" }, [
      el("span", { className: "visually-hidden", text: who }),
      ...messageBody(snapshot, fromBot),
      messageMeta(snapshot),
    ]);
    const item = el(
      "li",
      {
        className: `message from-${snapshot.from}`,
        "data-testid": "message",
        "data-from": snapshot.from,
        "data-message-id": snapshot.message_id,
        "data-kind": snapshot.kind,
        tabindex: -1,
      },
      bubble,
    );
    if (fromBot) {
      const keyboard = inlineKeyboard(snapshot);
      if (keyboard) item.append(keyboard);
    }
    return item;
  }

  function messageBody(snapshot, fromBot) {
    const raw = snapshot.raw || {};
    const parts = [];
    if (snapshot.kind === "document" && snapshot.document) parts.push(fileCard(snapshot.document));
    else if (snapshot.kind === "sticker") parts.push(stickerPlaceholder(raw.sticker));
    else if (snapshot.kind === "photo") parts.push(placeholder("🖼️", "Photo"));
    else if (snapshot.kind === "voice") parts.push(placeholder("🎤", voiceLabel(raw.voice)));
    else if (snapshot.kind !== "text") parts.push(placeholder("📦", snapshot.kind));
    const text = snapshot.kind === "text" ? snapshot.text : snapshot.caption;
    if (text) parts.push(messageText(snapshot, text, fromBot));
    return parts;
  }

  function messageText(snapshot, text, fromBot) {
    // dir=auto: a message in Arabic reads right to left, as Telegram shows it.
    const node = el("div", { className: "message-text", "data-testid": "message-text", dir: "auto" });
    if (fromBot) {
      // The sandbox renders `html` from Telegram entities and escapes everything else.
      node.innerHTML = snapshot.html;
      enhanceBotHtml(node);
    } else {
      node.textContent = text;
    }
    return node;
  }

  function enhanceBotHtml(node) {
    for (const link of node.querySelectorAll("a[href]")) {
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      if (botLink(link.href)) link.setAttribute("data-testid", "bot-link");
    }
    for (const span of node.querySelectorAll("span.tg-bot-command")) {
      const command = span.textContent;
      const props = { type: "button", className: "bot-command", "data-testid": "bot-command" };
      span.replaceWith(el("button", { ...props, "data-command": command, text: command }));
    }
    for (const spoiler of node.querySelectorAll(".tg-spoiler")) {
      spoiler.tabIndex = 0;
      spoiler.setAttribute("role", "button");
      spoiler.setAttribute("aria-label", "Hidden text: select to reveal");
    }
  }

  // Telegram marks a message "edited" only when its words change; taking a keyboard away
  // (as Tandem does after a tap) leaves no mark.
  function wordsEdited(snapshot) {
    const current = snapshot.text ?? snapshot.caption ?? "";
    return (snapshot.edits || []).some((old) => (old.text ?? old.caption ?? "") !== current);
  }

  function messageMeta(snapshot) {
    const date = new Date(snapshot.date * 1000);
    // The directory's time zone (the demo's people are in the UK), else the browser's.
    const zone = (state.directory && state.directory.time_zone) || undefined;
    const time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", timeZone: zone });
    return el("span", { className: "meta" }, [
      wordsEdited(snapshot) ? el("span", { className: "edited", "data-testid": "edited" }, "edited") : null,
      el("time", { datetime: date.toISOString(), text: time }),
    ]);
  }

  function placeholder(icon, label) {
    return el("span", { className: "media-placeholder", "data-testid": "media-placeholder" }, [
      el("span", { "aria-hidden": "true", text: icon }),
      el("span", { text: label }),
    ]);
  }

  function stickerPlaceholder(sticker) {
    const emoji = (sticker && sticker.emoji) || "🙂";
    const props = { className: "sticker", "data-testid": "media-placeholder", role: "img" };
    return el("span", { ...props, "aria-label": `Sticker ${emoji}`, text: emoji });
  }

  function voiceLabel(voice) {
    const seconds = Math.max(0, Math.round((voice && voice.duration) || 0));
    return `Voice note ${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
  }

  function fileCard(doc) {
    const name = doc.file_name || "File";
    return el(
      "a",
      {
        className: "file-card",
        "data-testid": "document",
        href: `/control/files/${encodeURIComponent(doc.file_id)}`,
        download: name,
      },
      [
        el("span", { className: "file-icon", "aria-hidden": "true" }),
        el("span", { className: "file-text" }, [
          el("span", { className: "file-name", text: name }),
          el("span", { className: "file-size", text: fileSize(doc.file_size) }),
        ]),
      ],
    );
  }

  function fileSize(bytes) {
    if (typeof bytes !== "number") return "Download";
    if (bytes < 1024) return `${bytes} B · Download`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB · Download`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB · Download`;
  }

  // Near the end, or on the way there: a smooth scroll takes a moment to arrive.
  function nearEnd() {
    const box = ui.messages;
    const distance = box.scrollHeight - box.scrollTop - box.clientHeight;
    return distance <= NEAR_BOTTOM_PX || performance.now() < state.scrollingUntil;
  }

  function scrollToEnd({ smooth = true } = {}) {
    const calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    const behavior = smooth && !calm ? "smooth" : "instant";
    if (behavior === "smooth") state.scrollingUntil = performance.now() + SMOOTH_SCROLL_MS;
    ui.messages.scrollTo({ top: ui.messages.scrollHeight, behavior });
  }

  // ------------------------------------------------------------------ inline keyboards

  function inlineKeyboard(snapshot) {
    const rows = snapshot.reply_markup && snapshot.reply_markup.inline_keyboard;
    if (!Array.isArray(rows) || rows.length === 0) return null;
    const props = { className: "keyboard", role: "group", "aria-label": "Reply buttons" };
    const keyboard = el("div", props);
    rows.forEach((row, r) => {
      const buttons = row.map((button, c) => inlineButton(snapshot.message_id, button, `${r}.${c}`));
      keyboard.append(el("div", { className: "keyboard-row" }, buttons));
    });
    return keyboard;
  }

  function inlineButton(messageId, button, key) {
    const node = el("button", {
      type: "button",
      className: "inline-button",
      "data-testid": "inline-button",
      "data-key": key,
      "data-callback": button.callback_data,
      "data-url": button.url,
      text: button.text,
    });
    if (button.url) {
      node.append(el("span", { className: "link-mark", "aria-hidden": "true", text: "↗" }));
    }
    node.addEventListener("click", () => pressButton(messageId, button, node));
    return node;
  }

  async function pressButton(messageId, button, node) {
    const session = state.chat;
    if (!session) return;
    if (button.url) {
      openLink(button.url);
      return;
    }
    if (button.copy_text) {
      await copyText(button.copy_text.text);
      return;
    }
    if (button.callback_data === undefined) {
      toast("This kind of button doesn't work in the sandbox.");
      return;
    }
    markPressed(session, node);
    try {
      const body = { message_id: messageId, data: button.callback_data };
      await api(`/control/users/${session.userId}/press`, { method: "POST", body });
    } catch (error) {
      clearPressed(session);
      toast(problemText(error));
    }
  }

  function markPressed(session, node) {
    clearPressed(session);
    node.classList.add("pressed");
    node.setAttribute("aria-busy", "true");
    session.pressed = { node, timer: setTimeout(() => clearPressed(session), PRESSED_MS) };
  }

  function clearPressed(session) {
    if (!session.pressed) return;
    clearTimeout(session.pressed.timer);
    session.pressed.node.classList.remove("pressed");
    session.pressed.node.removeAttribute("aria-busy");
    session.pressed = null;
  }

  function showCallbackAnswer(session, answer) {
    clearPressed(session);
    if (!answer || !answer.text) return;
    if (answer.show_alert) showAlert(answer.text);
    else toast(answer.text);
  }

  async function copyText(text) {
    try {
      await navigator.clipboard.writeText(text);
      toast("Copied to the clipboard.");
    } catch {
      toast(`Couldn't copy. The text is: ${text}`);
    }
  }

  function showTyping(session, action) {
    if (state.chat !== session) return;
    stopTyping(session);
    const words = { typing: "typing…", upload_document: "sending a file…" };
    ui.chatStatus.textContent = words[action] || "busy…";
    session.typingTimer = setTimeout(() => stopTyping(session), TYPING_MS);
  }

  function stopTyping(session) {
    if (!session.typingTimer) return;
    clearTimeout(session.typingTimer);
    session.typingTimer = null;
    renderHeader();
  }

  // ------------------------------------------------------------------ links and invites

  const TELEGRAM_HOSTS = ["t.me", "www.t.me", "telegram.me", "www.telegram.me"];

  function parseUrl(href) {
    try {
      return new URL(href, location.href);
    } catch {
      return null;
    }
  }

  // A link that opens Telegram (t.me/NAME or tg://resolve?domain=NAME): { name, start }.
  function telegramLink(href) {
    const url = parseUrl(href);
    if (!url) return null;
    const start = url.searchParams.get("start");
    if (url.protocol === "tg:") {
      const name = url.hostname === "resolve" ? url.searchParams.get("domain") : null;
      return { name: (name || "").toLowerCase(), start };
    }
    if (!TELEGRAM_HOSTS.includes(url.hostname.toLowerCase())) return null;
    return { name: url.pathname.replace(/^\/+|\/+$/g, "").toLowerCase(), start };
  }

  // A Telegram link to this bot: { start } (null when it carries no start code); else null.
  function botLink(href) {
    const link = telegramLink(href);
    const username = state.bot.username.toLowerCase();
    return link && username && link.name === username ? { start: link.start } : null;
  }

  // Tapping a t.me link to the bot is how a newcomer arrives: ask who they are first.
  function openLink(href) {
    const link = botLink(href);
    if (link) {
      askForNewPerson(link.start || "");
      return;
    }
    if (telegramLink(href)) {
      toast("That link leads elsewhere in Telegram, so it can't open in the sandbox.");
      return;
    }
    const url = parseUrl(href);
    if (!url || !["http:", "https:", "mailto:"].includes(url.protocol)) {
      toast("That link can't be opened from here.");
      return;
    }
    window.open(url.href, "_blank", "noopener,noreferrer");
  }

  function onMessageClick(event) {
    const link = event.target.closest(".message-text a[href]");
    if (link && telegramLink(link.href)) {
      event.preventDefault();
      openLink(link.href);
      return;
    }
    const command = event.target.closest(".bot-command");
    if (command) {
      sendText(command.dataset.command);
      return;
    }
    const spoiler = event.target.closest(".tg-spoiler");
    if (spoiler) spoiler.classList.add("revealed");
  }

  function onMessageKey(event) {
    const spoiler = event.target.closest(".tg-spoiler");
    if (spoiler && (event.key === "Enter" || event.key === " ")) {
      event.preventDefault();
      spoiler.classList.add("revealed");
    }
  }

  // A chat that has not started shows what the person would have: the invite, or Start.
  function renderStartCard(session) {
    dropStartCard(session, true);
    const invited = state.invited.has(session.userId);
    if (!invited && session.nodes.size > 0) return;
    const invite = invited ? state.directory.invite : null;
    ui.messageList.prepend(invite ? inviteCard(invite, session.userId) : startCard(session.userId));
  }

  function dropStartCard(session, always = false) {
    if (!always && state.invited.has(session.userId)) return;
    const card = ui.messageList.querySelector(":scope > .chat-card");
    if (card) card.remove();
  }

  function inviteCard(invite, userId) {
    return el("li", { className: "chat-card", "data-testid": "invite-card" }, [
      el("p", { className: "card-label", text: "📨 Your invite link arrived by email:" }),
      el("p", { className: "card-link", "data-testid": "invite-link", text: invite.link }),
      el("button", {
        type: "button",
        className: "primary",
        "data-testid": "open-invite",
        text: "Open invite link",
        onclick: () => sendAs(userId, `/start ${invite.code}`),
      }),
    ]);
  }

  function startCard(userId) {
    return el("li", { className: "chat-card", "data-testid": "start-card" }, [
      el("p", { text: `${state.bot.first_name} is a bot. Tap Start to begin, as on a phone.` }),
      el("button", {
        type: "button",
        className: "primary",
        "data-testid": "start-chat",
        text: "Start",
        onclick: () => sendAs(userId, "/start"),
      }),
    ]);
  }

  // ------------------------------------------------------------------ a new person

  function askForNewPerson(startCode = null) {
    state.newPersonStart = startCode;
    ui.newPersonIntro.textContent =
      startCode === null
        ? "Add someone new to try Tandem as. Their invite link will be waiting in their chat."
        : "Someone new is opening this invite link. What is their first name?";
    ui.newPersonCreate.textContent = startCode === null ? "Create" : "Create and open the link";
    ui.newPersonName.value = "";
    fieldError("");
    ui.newPersonDialog.showModal();
    ui.newPersonName.focus();
  }

  function fieldError(text) {
    ui.newPersonError.textContent = text;
    ui.newPersonError.hidden = !text;
    ui.newPersonName.setAttribute("aria-invalid", String(Boolean(text)));
  }

  async function createPerson(event) {
    event.preventDefault();
    const name = ui.newPersonName.value.trim();
    if (!name) {
      fieldError("Please enter a first name.");
      ui.newPersonName.focus();
      return;
    }
    const startCode = state.newPersonStart;
    ui.newPersonCreate.disabled = true;
    try {
      const language_code = $("new-person-language").value || "en";
      const user = await api("/control/users", { method: "POST", body: { first_name: name, language_code } });
      state.users.set(user.id, user);
      if (startCode === null) {
        state.invited.add(user.id);
        saveInvited();
      }
      ui.newPersonDialog.close();
      choosePerson(user.id);
      ui.input.focus();
      if (startCode !== null) await sendAs(user.id, startCode ? `/start ${startCode}` : "/start");
    } catch (error) {
      fieldError(problemText(error));
    } finally {
      ui.newPersonCreate.disabled = false;
    }
  }

  // ------------------------------------------------------------------ sending

  // The control API answers with the Telegram Message; show it at once in the snapshot shape.
  function userSnapshot(message, kind) {
    return {
      message_id: message.message_id,
      from: "user",
      kind,
      date: message.date,
      text: message.text ?? null,
      caption: message.caption ?? null,
      html: "",
      reply_markup: null,
      edit_date: null,
      deleted: false,
      document: null,
      raw: message,
    };
  }

  async function sendAs(userId, text) {
    return userAction(userId, "text", { text }, "text");
  }

  async function sendText(text) {
    if (!state.chat) return false;
    return sendAs(state.chat.userId, text);
  }

  async function userAction(userId, action, body, kind) {
    try {
      const result = await api(`/control/users/${userId}/${action}`, { method: "POST", body });
      const session = state.chat;
      if (session && session.userId === userId) {
        upsertMessage(session, userSnapshot(result.message, kind), { live: true });
      }
      return true;
    } catch (error) {
      toast(problemText(error));
      return false;
    }
  }

  async function submitComposer(event) {
    event.preventDefault();
    const text = ui.input.value;
    if (!text.trim() || !state.chat) return;
    ui.input.value = "";
    autoGrow();
    const sent = await sendText(text);
    if (!sent && !ui.input.value) {
      ui.input.value = text;
      autoGrow();
    }
    ui.input.focus();
  }

  function onComposerKey(event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      ui.composer.requestSubmit();
    }
  }

  function autoGrow() {
    ui.input.style.height = "auto";
    ui.input.style.height = `${ui.input.scrollHeight + 2}px`;
  }

  async function attach(kind) {
    closePopups();
    const session = state.chat;
    if (!session) return;
    let body = {};
    if (kind === "sticker") body = { emoji: "👍" };
    if (kind === "voice") body = { duration: 5 };
    if (kind === "photo" && ui.input.value.trim()) {
      body = { caption: ui.input.value };
      ui.input.value = "";
      autoGrow();
    }
    await userAction(session.userId, kind, body, kind);
  }

  // ------------------------------------------------------------------ menus

  // The menu opens at once from a cached list (kept fresh as the bot talks), then refreshes.
  function toggleCommands() {
    if (!ui.commandsPopup.hidden) {
      closePopups(ui.commandsButton);
      return;
    }
    const session = state.chat;
    if (!session) return;
    renderCommands(session);
    openPopup(ui.commandsPopup, ui.commandsButton);
    refreshCommands(session);
  }

  async function refreshCommands(session) {
    const { signal } = session.controller;
    let commands;
    try {
      commands = await api(`/control/commands?chat_id=${session.userId}`, { signal });
    } catch (error) {
      if (!isAbort(error) && !ui.commandsPopup.hidden) toast(problemText(error));
      return;
    }
    const changed = JSON.stringify(commands) !== JSON.stringify(session.commands);
    session.commands = commands;
    if (changed && state.chat === session && !ui.commandsPopup.hidden) {
      const hadFocus = ui.commandsPopup.contains(document.activeElement);
      renderCommands(session);
      const first = ui.commandsPopup.querySelector("[role=menuitem]");
      if (hadFocus && first) first.focus();
    }
  }

  // The bot may change a person's menu as it talks (say, once they join): fetch it again.
  function refreshCommandsSoon(session) {
    clearTimeout(session.commandsTimer);
    session.commandsTimer = setTimeout(() => refreshCommands(session), 200);
  }

  function renderCommands(session) {
    if (session.commands === null) {
      ui.commandsPopup.replaceChildren(el("p", { className: "menu-empty", text: "Loading…" }));
      return;
    }
    const items = session.commands.map(commandItem);
    const hint = "No commands here yet. Try sending /start.";
    const empty = el("p", { className: "menu-empty", text: hint });
    ui.commandsPopup.replaceChildren(...(items.length ? items : [empty]));
  }

  function commandItem(command) {
    const name = `/${command.command}`;
    return el(
      "button",
      {
        type: "button",
        className: "menu-item",
        role: "menuitem",
        "data-testid": "command-item",
        "data-command": command.command,
        onclick: () => {
          closePopups(ui.input);
          sendText(name);
        },
      },
      [
        el("span", { className: "command-name", text: name }),
        el("span", { className: "command-description", text: command.description }),
      ],
    );
  }

  function toggleAttach() {
    if (!ui.attachPopup.hidden) closePopups(ui.attachButton);
    else openPopup(ui.attachPopup, ui.attachButton);
  }

  function openPopup(popup, button) {
    closePopups();
    popup.hidden = false;
    button.setAttribute("aria-expanded", "true");
    const first = popup.querySelector("[role=menuitem]");
    if (first) first.focus();
  }

  function closePopups(focusAfter = null) {
    ui.commandsPopup.hidden = true;
    ui.attachPopup.hidden = true;
    ui.commandsButton.setAttribute("aria-expanded", "false");
    ui.attachButton.setAttribute("aria-expanded", "false");
    if (focusAfter) focusAfter.focus();
  }

  function onMenuKey(event) {
    const popup = event.currentTarget;
    if (event.key === "Escape") {
      event.preventDefault();
      closePopups(popup === ui.commandsPopup ? ui.commandsButton : ui.attachButton);
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const items = [...popup.querySelectorAll("[role=menuitem]")];
    const at = items.indexOf(document.activeElement);
    const step = event.key === "ArrowDown" ? 1 : -1;
    const next = items[(at + step + items.length) % items.length];
    if (next) next.focus();
  }

  function onDocumentClick(event) {
    const inside = event.target.closest(".popover, #commands-button, #attach-button");
    if (!inside) closePopups();
  }

  // ------------------------------------------------------------------ start-up

  function wire() {
    ui.newPerson.addEventListener("click", () => askForNewPerson(null));
    ui.newPersonForm.addEventListener("submit", createPerson);
    ui.newPersonCancel.addEventListener("click", () => ui.newPersonDialog.close());
    ui.peopleToggle.addEventListener("click", () => showView("people"));
    ui.peopleClose.addEventListener("click", () => showView("chat"));
    ui.composer.addEventListener("submit", submitComposer);
    ui.input.addEventListener("keydown", onComposerKey);
    ui.input.addEventListener("input", autoGrow);
    ui.commandsButton.addEventListener("click", toggleCommands);
    ui.attachButton.addEventListener("click", toggleAttach);
    ui.commandsPopup.addEventListener("keydown", onMenuKey);
    ui.attachPopup.addEventListener("keydown", onMenuKey);
    for (const item of ui.attachPopup.querySelectorAll("[data-attach]")) {
      item.addEventListener("click", () => attach(item.dataset.attach));
    }
    ui.messageList.addEventListener("click", onMessageClick);
    ui.messageList.addEventListener("keydown", onMessageKey);
    document.addEventListener("click", onDocumentClick);
    window.addEventListener("hashchange", openFromHash);
  }

  async function loadBasics() {
    for (let retry = RETRY_FIRST_MS; ; retry = Math.min(retry * 2, RETRY_MAX_MS)) {
      try {
        const [bot, directory, users] = await Promise.all([
          api("/control/bot"),
          api("/control/directory"),
          api("/control/users"),
        ]);
        setOffline("start", false);
        return { bot, directory, users };
      } catch (error) {
        setOffline("start", true);
        await sleep(retry);
      }
    }
  }

  async function start() {
    wire();
    setComposerEnabled(false);
    const { bot, directory, users } = await loadBasics();
    state.bot = bot;
    state.directory = directory;
    state.users = new Map(users.map((user) => [user.id, user]));
    renderDirectory();
    renderHeader();
    renderPeople();
    openFromHash();
    document.documentElement.dataset.ready = "true";
    watchFeed();
  }

  start();
})();
