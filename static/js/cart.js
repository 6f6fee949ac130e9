/* The cart page: ticking an item, a store or "All" saves the selection (a static file: see the CSP). */
// Ticking an item, a store or "All" saves the selection; the page comes back re-priced for it.
(function () {
  var form = document.getElementById("select-form");
  var lines = function (store) {
    return Array.prototype.slice.call(document.querySelectorAll('input[name=items][form=select-form]' + (store ? '[data-store="' + store + '"]' : '')));
  };
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (box.matches("[data-select-store]")) lines(box.dataset.selectStore).forEach(function (l) { l.checked = box.checked; });
    else if (box.matches("[data-select-all]")) lines().forEach(function (l) { l.checked = box.checked; });
    else if (!box.matches("input[name=items]")) return;
    form.requestSubmit ? form.requestSubmit() : form.submit();
  });
})();
