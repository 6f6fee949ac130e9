/* The live room: one WebSocket per page (viewers on /live/<id>/, hosts on their console). Plain JS, no build. */
(function () {
  "use strict";
  var room = document.getElementById("live-room");
  if (!room) return;
  // Translated texts come as data attributes of #live-text (no inline script: see the Content-Security-Policy).
  var textBox = document.getElementById("live-text");
  var T = textBox ? Object.assign({}, textBox.dataset) : {};
  var isHost = room.dataset.host === "1";
  var socket = null, heartbeat = null, retry = 1000, pendingLikes = 0, likeTimer = null;
  var $ = function (id) { return document.getElementById(id); };

  function csrf() {
    var match = document.cookie.match(/csrftoken=([^;]+)/);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : (match ? match[1] : "");
  }

  function notice(text, isError) {
    var box = $("notice");
    if (!box) return;
    box.textContent = text || "";
    box.className = "small live-notice" + (isError ? " live-err" : "");
  }

  function setText(id, value) { var el = $(id); if (el) el.textContent = value; }

  function addMessage(message) {
    var list = $("messages");
    if (!list) return;
    var item = document.createElement("li");
    item.dataset.user = message.user_id;
    item.dataset.testid = "chat-message";
    item.setAttribute("data-testid", "chat-message");
    var who = document.createElement("strong");
    who.textContent = message.user + ": ";
    if (message.host) {
      var badge = document.createElement("span");
      badge.className = "badge warn";
      badge.textContent = T.host || "Host";
      item.appendChild(badge);
      item.appendChild(document.createTextNode(" "));
    }
    var text = document.createElement("span");
    text.textContent = message.text;
    item.appendChild(who);
    item.appendChild(text);
    if (isHost && room.dataset.muteUrl && !message.host) {
      var mute = document.createElement("button");
      mute.type = "button";
      mute.className = "link small";
      mute.textContent = T.mute || "Mute";
      mute.setAttribute("data-testid", "mute-viewer");
      mute.addEventListener("click", function () { muteViewer(message.user_id); });
      item.appendChild(document.createTextNode(" "));
      item.appendChild(mute);
    }
    list.appendChild(item);
    while (list.children.length > 200) list.removeChild(list.firstChild);
    list.scrollTop = list.scrollHeight;
  }

  function muteViewer(userId) {
    var body = new URLSearchParams({ user: userId, csrfmiddlewaretoken: csrf() });
    fetch(room.dataset.muteUrl, { method: "POST", body: body, headers: { "X-CSRFToken": csrf() }, credentials: "same-origin" })
      .then(function () { notice("✓"); });
  }

  function showPinned(product) {
    var box = $("pinned");
    if (!box) return;
    if (!product) { box.hidden = true; box.innerHTML = ""; return; }
    box.hidden = false;
    box.innerHTML = "";
    var label = document.createElement("div");
    label.className = "small";
    label.textContent = (T.nowShowing || "Now presenting");
    var title = document.createElement("strong");
    title.textContent = product.title;
    title.setAttribute("data-testid", "pinned-title");
    var price = document.createElement("div");
    price.className = "price";
    price.textContent = "¥" + (product.live_price || product.price);
    box.appendChild(label);
    box.appendChild(title);
    box.appendChild(price);
    var target = document.getElementById("featured-" + product.id);
    if (target) {
      box.style.cursor = "pointer";
      box.onclick = function () { target.scrollIntoView({ behavior: "smooth", block: "center" }); };
    }
    document.querySelectorAll(".live-product.pinned").forEach(function (el) { el.classList.remove("pinned"); });
    if (target) target.classList.add("pinned");
  }

  function showDrop(drop) {
    var box = $("drops");
    if (!box || box.querySelector('[data-drop="' + drop.id + '"]')) return;
    var form = document.createElement("form");
    form.method = "post";
    form.className = "live-drop";
    form.dataset.drop = drop.id;
    form.setAttribute("data-testid", "coupon-drop");
    form.action = "/live/" + room.dataset.stream + "/coupons/" + drop.id + "/claim/";
    form.innerHTML = '<input type="hidden" name="csrfmiddlewaretoken"><strong></strong> <span class="small"></span> ' +
      '<span class="small muted"><span class="left-label"></span>: <span data-remaining></span></span> ' +
      '<button type="submit" class="primary" data-testid="claim-coupon"></button>';
    form.querySelector("input").value = csrf();
    form.querySelector("strong").textContent = drop.name;
    form.querySelector("span.small").textContent = drop.rule;
    form.querySelector(".left-label").textContent = T.left || "Left";
    form.querySelector("[data-remaining]").textContent = drop.remaining;
    form.querySelector("button").textContent = T.claim || "Claim";
    box.appendChild(form);
  }

  function setStock(dropId, remaining) {
    var form = document.querySelector('[data-drop="' + dropId + '"]');
    if (!form) return;
    form.querySelector("[data-remaining]").textContent = remaining;
    if (remaining <= 0) form.querySelector("button").disabled = true;
  }

  var handlers = {
    hello: function (e) {
      setText("viewer-count", e.viewers);
      setText("like-count", e.likes);
      var list = $("messages");
      if (list) list.innerHTML = "";
      (e.chat || []).forEach(addMessage);
      showPinned(e.pinned);
      (e.drops || []).forEach(function (drop) { showDrop(drop); setStock(drop.id, drop.remaining); });
    },
    chat: addMessage,
    figures: function (e) { setText("viewer-count", e.viewers); setText("like-count", e.likes); },
    pin: function (e) { showPinned(e.product); },
    coupon: function (e) { showDrop(e.drop); },
    coupon_stock: function (e) { setStock(e.drop, e.remaining); },
    claimed: function () { notice(T.claimed || "Claimed."); },
    products: function () { document.body.dispatchEvent(new Event("live-products")); },
    muted: function (e) {
      document.querySelectorAll('#messages li[data-user="' + e.user_id + '"]').forEach(function (li) { li.remove(); });
    },
    unmuted: function () {},
    state: function (e) {
      notice(e.state === "ended" ? T.ended : T.live);
      if (!isHost) setTimeout(function () { window.location.reload(); }, 1500);
    },
    error: function (e) { notice(e.detail, true); }
  };

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + room.dataset.ws);
    socket.onopen = function () {
      retry = 1000;
      notice("");
      room.dataset.connected = "1";
      clearInterval(heartbeat);
      heartbeat = setInterval(function () { send({ type: "heartbeat" }); }, 15000);
    };
    socket.onmessage = function (message) {
      var event;
      try { event = JSON.parse(message.data); } catch (err) { return; }
      var handler = handlers[event.type];
      if (handler) handler(event);
    };
    socket.onclose = function (event) {
      room.dataset.connected = "0";
      clearInterval(heartbeat);
      if (event.code === 4404) return;
      notice(T.reconnecting || "Reconnecting…");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    };
  }

  function send(payload) {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(payload));
  }

  var chat = $("chat-form");
  if (chat) {
    chat.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = chat.querySelector("input[name=text]");
      if (!input.value.trim()) return;
      send({ type: "chat", text: input.value });
      input.value = "";
    });
  }

  var like = $("like-button");
  if (like) {
    like.addEventListener("click", function () {
      if (room.dataset.loggedIn !== "1") { notice(T.login, true); return; }
      pendingLikes += 1;
      setText("like-count", (parseInt($("like-count").textContent, 10) || 0) + 1);
      if (!likeTimer) {
        likeTimer = setTimeout(function () {  // rapid taps go out as one message
          send({ type: "like", count: Math.min(pendingLikes, 20) });
          pendingLikes = 0;
          likeTimer = null;
        }, 400);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target.closest(".live-drop");
    if (!form || !socket || socket.readyState !== WebSocket.OPEN) return;  // no socket: the form posts
    event.preventDefault();
    if (room.dataset.loggedIn !== "1") { window.location.href = room.dataset.loginUrl; return; }
    send({ type: "claim", drop: parseInt(form.dataset.drop, 10) });
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-buy-now]");
    if (!button) return;
    if (room.dataset.loggedIn !== "1") { window.location.href = room.dataset.loginUrl; return; }
    var source = button.form;
    var form = document.createElement("form");
    form.method = "post";
    form.action = "/buy-now/";  // just this item: the cart is left alone (立即购买)
    // On a wide screen checkout opens beside the room, which keeps playing; a phone stays in one tab.
    if (window.matchMedia("(min-width: 768px)").matches) form.target = "_blank";
    [["sku", source.sku.value], ["quantity", source.quantity.value], ["source", source.source.value],
     ["csrfmiddlewaretoken", csrf()]].forEach(function (pair) {
      var input = document.createElement("input");
      input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
      form.appendChild(input);
    });
    document.body.appendChild(form);
    form.submit();
    form.remove();
  });

  connect();
})();
