/* Chat box: live over the WebSocket in data-ws, falling back to the form post. Text is always set as text. */
(function () {
  "use strict";
  var box = document.querySelector("[data-testid=chat]");
  if (!box) return;
  var log = box.querySelector(".chat-log");
  var form = box.querySelector(".chat-form");
  var errorLine = box.querySelector(".chat-error");
  var side = box.dataset.side;
  var socket = null;
  var retry = 500;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function render(m) {
    if (log.querySelector('[data-id="' + m.id + '"]')) return;
    var empty = log.querySelector(".chat-empty");
    if (empty) empty.remove();
    var item = el("li", "chat-message " + m.side + (m.side === side ? " mine" : ""));
    item.setAttribute("data-testid", "chat-message");
    item.dataset.id = m.id;
    item.appendChild(el("div", "meta small muted", m.sender + " · " + m.created_at.slice(0, 16).replace("T", " ")));
    if (m.card) {
      var link = el("a", "chat-card");
      if (m.card.kind === "product") {
        link.href = m.card.url;
        link.setAttribute("data-testid", "product-card");
        link.appendChild(el("strong", "", m.card.title));
        link.appendChild(document.createTextNode(" "));
        link.appendChild(el("span", "price", "¥" + m.card.price));
      } else {
        link.href = side === "store" ? m.card.seller_url : m.card.url;
        link.setAttribute("data-testid", "order-card");
        link.textContent = box.dataset.orderLabel + " " + m.card.number + " · " + m.card.state_label + " · ¥" + m.card.payable;
      }
      item.appendChild(link);
    } else {
      var bubble = el("div", "bubble");
      bubble.setAttribute("data-testid", "message-text");
      m.text.split("\n").forEach(function (line, index) {
        if (index) bubble.appendChild(document.createElement("br"));
        bubble.appendChild(document.createTextNode(line));
      });
      item.appendChild(bubble);
    }
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
  }

  function showError(text) {
    errorLine.textContent = text;
    errorLine.hidden = !text;
  }

  function connect() {
    if (!box.dataset.ws) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + box.dataset.ws);
    socket.onopen = function () { retry = 500; box.dataset.live = "1"; };
    socket.onmessage = function (frame) {
      var event = JSON.parse(frame.data);
      if (event.type === "message") {
        render(event.message);
        if (event.message.side !== side && document.visibilityState === "visible") {
          socket.send(JSON.stringify({ type: "read" }));
        }
      } else if (event.type === "error") {
        showError(event.detail);
      }
    };
    socket.onclose = function () {
      box.dataset.live = "";
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10000);
    };
  }

  form.addEventListener("submit", function (e) {
    if (!socket || socket.readyState !== WebSocket.OPEN) return; // the form posts instead
    e.preventDefault();
    showError("");
    var text = form.elements.text.value;
    var product = form.elements.product ? form.elements.product.value : "";
    var order = form.elements.order ? form.elements.order.value : "";
    if (product) socket.send(JSON.stringify({ type: "send", product: parseInt(product, 10) }));
    if (order) socket.send(JSON.stringify({ type: "send", order: order }));
    if (text.trim() || (!product && !order)) socket.send(JSON.stringify({ type: "send", text: text }));
    form.elements.text.value = "";
    if (form.elements.product) form.elements.product.value = "";
    if (form.elements.order) form.elements.order.value = "";
  });
  log.scrollTop = log.scrollHeight;
  connect();
})();
