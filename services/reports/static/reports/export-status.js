// The export's progress page asks for itself again every 3 seconds and puts the new
// progress in place, until the file is ready or has failed. A meta refresh did this
// before, but it reloads the whole page under a screen reader's reading and cannot be
// paused; this stops when the tab is hidden. Without the script, reloading by hand works.
(function () {
  "use strict";
  var live = document.getElementById("export-live");
  if (!live || !window.fetch || !window.DOMParser) return;
  var timer = setInterval(function () {
    if (document.hidden) return;
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok && !response.redirected ? response.text() : null; })
      .then(function (html) {
        if (html === null) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("export-live");
        if (!fresh) return;
        live.innerHTML = fresh.innerHTML;
        if (!fresh.hasAttribute("data-waiting")) clearInterval(timer);
      })
      .catch(function () {});
  }, 3000);
})();
