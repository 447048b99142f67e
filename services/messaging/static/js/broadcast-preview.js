// Live preview on the announcement screen: re-render the preview table as the
// coordinator types. Without this script the Preview button does the same.
(function () {
  "use strict";
  var form = document.getElementById("broadcast-form");
  if (!form || !window.fetch) return;
  var timer = null;
  function refresh() {
    var data = new FormData(form);
    data.delete("csrfmiddlewaretoken");
    var query = new URLSearchParams(data).toString();
    fetch(form.dataset.previewUrl + "?" + query, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        var current = document.getElementById("preview");
        if (html && current) current.outerHTML = html;
      })
      .catch(function () { /* offline: the Preview button still works */ });
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
})();
