// The announcement screen: a live preview as the coordinator types, and a draft kept
// in this tab (sessionStorage) so that switching the interface language, or a reload,
// does not wipe a half-written message. Without this script the Preview button works.
(function () {
  "use strict";
  var form = document.getElementById("broadcast-form");
  if (!form) return;
  var KEY = "fieldapp:broadcast-draft";
  var SKIP = { csrfmiddlewaretoken: true, submission_token: true, confirm: true };
  var timer = null;

  function draftSave() {
    var draft = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || SKIP[field.name]) return;
      draft[field.name] = field.type === "checkbox" ? field.checked : field.value;
    });
    try { sessionStorage.setItem(KEY, JSON.stringify(draft)); } catch (e) { /* private mode */ }
  }

  function draftRestore() {
    var draft = null;
    try { draft = JSON.parse(sessionStorage.getItem(KEY) || "null"); } catch (e) { draft = null; }
    if (!draft) return;
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || SKIP[field.name] || !(field.name in draft)) return;
      if (field.type === "checkbox") {
        if (!field.checked) field.checked = !!draft[field.name];
      } else if (!field.value || field.tagName === "SELECT") {
        field.value = draft[field.name];
      }
    });
  }

  function refresh() {
    if (!window.fetch) return;
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

  // A page the server drew with errors holds what was typed: it wins over the draft.
  if (!form.querySelector(".has-error")) draftRestore();
  form.addEventListener("input", function () {
    draftSave();
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  });
  form.addEventListener("change", draftSave);
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.name === "confirm" && button.value === "send") {
      try { sessionStorage.removeItem(KEY); } catch (e) { /* private mode */ }
    }
  });
})();
