/* Product page: SKU selection by attribute. A value is offered when a SKU in stock has it together with the values
   chosen on the other axes (the same rule as shops/sku_matrix.py renders server-side). Price, stock and the
   quantity limit follow the choice; the chosen SKU goes into the form's hidden "sku" field. No libraries. */
(function () {
  "use strict";
  var form = document.getElementById("buy");
  var dataNode = document.getElementById("sku-data");
  if (!form || !dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var limits = JSON.parse((document.getElementById("sku-limits") || {}).textContent || "{}");
  var chips = Array.prototype.slice.call(form.querySelectorAll("[data-sku-selector] .chip"));
  var skuInput = form.querySelector("input[name=sku]");
  var quantity = form.querySelector("input[name=quantity]");
  var stockNode = form.querySelector("[data-stock]");
  var priceNode = document.querySelector("[data-price]");
  var chosen = data.axes.map(function (_axis, index) {
    var selected = form.querySelector('.chip.selected[data-axis="' + index + '"]');
    return selected ? selected.dataset.value : null;
  });

  function available(axis, value) {
    return data.options.some(function (option) {
      if (option.stock <= 0 || option.values[axis] !== value) return false;
      return chosen.every(function (other, index) { return index === axis || other === null || other === option.values[index]; });
    });
  }

  function current() {
    return data.options.find(function (option) {
      return option.values.every(function (value, index) { return chosen[index] === value; });
    });
  }

  function render() {
    chips.forEach(function (chip) {
      var axis = Number(chip.dataset.axis);
      var selected = chosen[axis] === chip.dataset.value;
      chip.classList.toggle("selected", selected);
      chip.setAttribute("aria-pressed", selected ? "true" : "false");
      chip.disabled = !available(axis, chip.dataset.value);
    });
    var option = current();
    skuInput.value = option ? option.sku : "";
    if (option && priceNode) priceNode.textContent = option.price;
    if (stockNode) {
      stockNode.textContent = !option ? "" : option.stock > 0
        ? stockNode.dataset.inStock.replace("__N__", option.stock) : stockNode.dataset.outOfStock;
    }
    var max = option ? Math.max(1, Math.min(option.stock, limits[option.sku] || 999)) : 1;
    quantity.max = max;
    if (Number(quantity.value) > max) quantity.value = max;
    form.querySelectorAll("[data-testid=add-to-cart], [data-testid=buy-now]").forEach(function (button) {
      if (!button.hasAttribute("data-locked")) button.disabled = !option || option.stock <= 0;
    });
    document.body.dispatchEvent(new CustomEvent("sku-changed"));
  }

  // Buttons the server rendered disabled (store closed, sold out) stay disabled whatever is chosen.
  form.querySelectorAll("[data-testid=add-to-cart]:disabled, [data-testid=buy-now]:disabled").forEach(function (b) {
    b.setAttribute("data-locked", "1");
  });
  chips.forEach(function (chip) {
    chip.addEventListener("click", function () {
      var axis = Number(chip.dataset.axis);
      chosen[axis] = chosen[axis] === chip.dataset.value ? null : chip.dataset.value;
      render();
    });
  });
  form.querySelectorAll("[data-step]").forEach(function (button) {
    button.addEventListener("click", function () {
      var next = Number(quantity.value || 1) + Number(button.dataset.step);
      quantity.value = Math.max(1, Math.min(Number(quantity.max) || 999, next));
    });
  });
})();

/* Product page gallery: swipe (scroll-snap does the work); the counter and dots follow, a dot jumps to its picture. */
(function () {
  "use strict";
  var gallery = document.querySelector("[data-gallery]");
  if (!gallery) return;
  var track = gallery.querySelector(".gallery-track");
  var dots = Array.prototype.slice.call(gallery.querySelectorAll("[data-go]"));
  var at = gallery.querySelector("[data-gallery-at]");
  if (!track || !dots.length) return;
  function current() { return Math.round(track.scrollLeft / Math.max(1, track.clientWidth)); }
  track.addEventListener("scroll", function () {
    var index = current();
    dots.forEach(function (dot, n) { dot.classList.toggle("active", n === index); });
    if (at) at.textContent = String(index + 1);
  }, { passive: true });
  dots.forEach(function (dot) {
    dot.addEventListener("click", function () {
      track.scrollTo({ left: Number(dot.dataset.go) * track.clientWidth, behavior: "smooth" });
    });
  });
})();
