// The tickets screen: a form is sent once however often it is tapped, and the queue and
// the demand per size refresh every 15 seconds. Without this script the page works the
// same, reloaded by hand.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-once")) return;
    if (form.dataset.sent) event.preventDefault();
    form.dataset.sent = "1";
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-sent]").forEach(function (form) { delete form.dataset.sent; });
  });
  var live = document.getElementById("live");
  if (!live || !window.fetch) return;
  setInterval(function () {
    if (document.hidden) return;
    fetch(live.dataset.live, { credentials: "same-origin" })
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) { if (html !== null) live.innerHTML = html; })
      .catch(function () { /* no signal: the last numbers stay */ });
  }, 15000);
})();
