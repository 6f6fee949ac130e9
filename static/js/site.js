/* Behaviour the templates ask for with data attributes, so no page needs inline script (the Content-Security-Policy
   allows scripts from our own files only):
   - data-autosubmit on a <select>: submit its form when the choice changes;
   - data-refresh-on-change on a field: re-submit its form as a refresh (its [data-refresh] input set to 1), e.g. a
     checkout re-priced for another address, without placing the order;
   - data-confirm on a <form>: ask before submitting;
   - data-submit-once on a <form>: a double click submits once. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
    var refresher = event.target.closest && event.target.closest("[data-refresh-on-change]");
    if (refresher && refresher.form) {
      var flag = refresher.form.querySelector("[data-refresh]");
      if (flag) flag.value = "1";
      refresher.form.submit();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      return;
    }
    if (form.hasAttribute("data-submit-once")) {
      if (form.dataset.sent) { event.preventDefault(); return; }
      form.dataset.sent = "1";
    }
  });
})();
