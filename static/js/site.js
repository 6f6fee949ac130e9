/* Behaviour the templates ask for with data attributes, so no page needs inline script (the Content-Security-Policy
   allows scripts from our own files only):
   - data-autosubmit on a <select>: submit its form when the choice changes;
   - data-confirm on a <form>: ask before submitting;
   - data-submit-once on a <form>: a double click submits once. */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest && event.target.closest("[data-autosubmit]");
    if (field && field.form) field.form.submit();
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
