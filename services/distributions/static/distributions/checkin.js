// The check-in screen (table_checkin.html). Without this script the page works as plain
// forms. With it: the camera reads the card, a check-in goes to the API under a UUID made
// here, and with no signal it waits in IndexedDB and is sent when the signal returns.
// The server records one UUID once, so sending it again is always safe.
(function () {
  "use strict";
  var root = document.getElementById("checkin");
  if (!root || !window.fetch || !window.indexedDB) return;
  var data = root.dataset;
  var TIMEOUT_MS = 12000;
  var SYNC_EVERY_MS = 20000;
  function $(id) { return document.getElementById(id); }
  var found = $("found");
  var notice = $("notice");
  var codeInput = $("code");
  var offline = $("offline");
  var offlineCode = "";
  var lastTyped = "";

  // Translated on the server: data-t-* attributes, with {placeholders}.
  function t(name, values) {
    var text = data["t" + name.charAt(0).toUpperCase() + name.slice(1)] || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function say(text, kind, append) {
    var line = document.createElement("p");
    line.className = "notice" + (kind ? " " + kind : "");
    line.textContent = text;
    if (!append) notice.textContent = "";
    notice.appendChild(line);
  }

  function showError(form, text) {
    var box = form.querySelector("[data-error]");
    box.textContent = text;
    box.hidden = !text;
    if (text) box.scrollIntoView({ block: "center" });
  }

  // As services.people.codes.code_normalise: 'k7m 4qx' -> 'K7M-4QX', or null.
  function normalise(text) {
    var raw = (text || "").replace(/[\s\-_.]/g, "").toUpperCase();
    if (raw.length !== 6) return null;
    for (var i = 0; i < raw.length; i++) {
      if (data.alphabet.indexOf(raw[i]) < 0) return null;
    }
    return raw.slice(0, 3) + "-" + raw.slice(3);
  }

  function newUuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 15) | 64;
    bytes[8] = (bytes[8] & 63) | 128;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function csrf() {
    var cookie = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (cookie) return decodeURIComponent(cookie[1]);
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function fetchSoon(url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, TIMEOUT_MS);
    options = Object.assign({ credentials: "same-origin", signal: controller.signal }, options);
    return fetch(url, options).finally(function () { clearTimeout(timer); });
  }

  // --- The queue on the phone: one IndexedDB store of check-ins, keyed by their UUID. ---
  // state "waiting": to be sent; "failed": the server refused it (kept, shown, never resent).
  var opening = null;
  function db() {
    opening = opening || new Promise(function (resolve, reject) {
      var request = indexedDB.open("fieldapp-table", 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore("checkins", { keyPath: "uuid" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { opening = null; reject(request.error); };
    });
    return opening;
  }
  function store(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction("checkins", mode);
        var request = work(tx.objectStore("checkins"));
        tx.oncomplete = function () { resolve(request.result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function keep(entry) { return store("readwrite", function (s) { return s.put(entry); }); }
  function drop(uuid) { return store("readwrite", function (s) { return s.delete(uuid); }); }
  function queued() { return store("readonly", function (s) { return s.getAll(); }); }

  function showQueue() {
    return queued().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "waiting"; });
      var failed = entries.filter(function (e) { return e.state === "failed"; });
      $("sync").hidden = !waiting.length;
      $("sync-count").textContent = t("waiting", { count: waiting.length });
      var list = $("unsent-list");
      list.textContent = "";
      failed.forEach(function (entry) { list.appendChild(unsentItem(entry)); });
      $("unsent").hidden = !failed.length;
    }).catch(function () { /* no IndexedDB: record() says so when it is needed */ });
  }

  function unsentItem(entry) {
    var item = document.createElement("li");
    var what = document.createElement("p");
    var when = new Date(entry.recorded_at).toLocaleString(document.documentElement.lang);
    what.textContent = entry.person + " · " + entry.label + " · " + when;
    var why = document.createElement("p");
    why.className = "error";
    why.textContent = entry.error;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.textContent = t("remove");
    remove.addEventListener("click", function () {
      if (window.confirm(t("confirm"))) drop(entry.uuid).then(showQueue);
    });
    item.append(what, why, remove);
    return item;
  }

  function send(entry, fromQueue) {
    return fetchSoon(data.api, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({
        uuid: entry.uuid,
        session: entry.session,
        person: entry.person,
        items: entry.items,
        recorded_at: entry.recorded_at,
        offline: fromQueue
      })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (body) {
        return { status: response.status, body: body };
      });
    });
  }

  // Resolves true to go on with the next one, false to stop until the next round.
  function sendQueued(entry) {
    return send(entry, true).then(function (result) {
      var body = result.body;
      if (result.status === 200 || result.status === 201) {
        if (body.status === "conflict") {
          say(t("conflict", { reason: entry.person + " · " + (body.conflict_reason || "") }), "warning", true);
        }
        return drop(entry.uuid).then(function () { return true; });
      }
      if (result.status === 400 || result.status === 404 || result.status === 409) {
        entry.state = "failed";
        entry.error = body.detail || t("error");
        return keep(entry).then(function () { return true; });
      }
      if (result.status === 401 || result.status === 403) say(t("signin"), "error", true);
      return false;
    }, function () { return false; });
  }

  var syncing = false;
  function sync() {
    if (syncing || navigator.onLine === false) return Promise.resolve();
    syncing = true;
    return queued().then(function (entries) {
      var waiting = entries.filter(function (e) { return e.state === "waiting"; });
      waiting.sort(function (a, b) { return a.recorded_at < b.recorded_at ? -1 : 1; });
      return waiting.reduce(function (chain, entry) {
        return chain.then(function (goOn) { return goOn && sendQueued(entry); });
      }, Promise.resolve(true));
    }).catch(function () {}).then(function () {
      syncing = false;
      return showQueue();
    });
  }

  // --- Recording: the found person's form, or the offline form. ---
  function picks(form) {
    var items = [];
    var labels = [];
    form.querySelectorAll("input[name=line]:checked").forEach(function (box) {
      var cut = box.value.indexOf(":");
      var select = form.elements.namedItem("qty-" + box.value);
      var quantity = select ? parseInt(select.value, 10) || 1 : 1;
      items.push({ item: parseInt(box.value.slice(0, cut), 10), size: box.value.slice(cut + 1), quantity: quantity });
      labels.push(box.dataset.label + (quantity > 1 ? " ×" + quantity : ""));
    });
    return { items: items, label: labels.join(", ") };
  }

  function nextPerson(text, kind) {
    say(text, kind);
    found.textContent = "";
    found.dataset.lookedUp = "";
    offline.hidden = true;
    codeInput.value = "";
    looking = "";
    lastTyped = "";
    history.replaceState(null, "", data.page);
    codeInput.focus();
  }

  function queueIt(entry) {
    return keep(entry).then(function () {
      nextPerson(t("queued") + " " + entry.person + " · " + entry.label, "warning");
      return showQueue();
    });
  }

  function record(form) {
    var picked = picks(form);
    if (!picked.items.length) return showError(form, t("choose"));
    showError(form, "");
    var fromOfflineForm = form.id === "offline-form";
    var entry = {
      uuid: newUuid(),
      session: parseInt(data.session, 10),
      person: fromOfflineForm ? offlineCode : form.elements.namedItem("person").value,
      items: picked.items,
      label: picked.label,
      recorded_at: new Date().toISOString(),
      state: "waiting",
      error: ""
    };
    var button = form.querySelector("button:not([type=button])");
    button.disabled = true;
    var done;
    if (fromOfflineForm || navigator.onLine === false) {
      done = queueIt(entry);
    } else {
      done = send(entry, false).then(function (result) {
        if (result.status === 200 || result.status === 201) {
          return nextPerson(t("recorded", { what: entry.person + " · " + entry.label }), "");
        }
        if (result.status >= 500) return queueIt(entry);
        showError(form, result.body.detail || t("error"));
      }, function () { return queueIt(entry); });
    }
    done.catch(function () { showError(form, t("error")); }).then(function () { button.disabled = false; });
  }

  document.addEventListener("submit", function (event) {
    if (!event.target.hasAttribute("data-record")) return;
    event.preventDefault();
    record(event.target);
  });

  // --- Finding the person: the server renders them (?partial=1); offline, the offline form. ---
  function pickOffline(code) {
    if (!code) {
      say(t("notcode"), "error");
      codeInput.focus();
      return;
    }
    offlineCode = code;
    found.textContent = "";
    $("offline-code").textContent = code;
    var form = $("offline-form");
    form.reset();
    showError(form, "");
    offline.hidden = false;
    $("offline-title").focus();
  }

  var looking = ""; // the code being or last looked up: typing it, then "Find", asks once
  function lookup(text) {
    text = (text || "").trim();
    if (!text) return codeInput.focus();
    var code = normalise(text);
    if (code && code === looking) return;
    looking = code || "";
    notice.textContent = "";
    offline.hidden = true;
    if (navigator.onLine === false) return pickOffline(normalise(text));
    var url = data.page + "?" + new URLSearchParams({ code: text });
    root.setAttribute("aria-busy", "true");
    fetchSoon(url + "&partial=1", { headers: { Accept: "text/html" } }).then(function (response) {
      if (!response.ok || response.redirected) {
        location.href = url; // signed out, or the server is unwell: show the real page
        return;
      }
      return response.text().then(function (html) {
        found.innerHTML = html;
        found.dataset.lookedUp = "1";
        history.replaceState(null, "", url);
        var title = found.querySelector("h2, [role=alert]");
        if (title) {
          if (!title.hasAttribute("tabindex")) title.setAttribute("tabindex", "-1");
          title.focus();
        }
      });
    }).catch(function () { pickOffline(normalise(text)); }).then(function () {
      root.removeAttribute("aria-busy");
    });
  }

  $("find").addEventListener("submit", function (event) {
    event.preventDefault();
    lookup(codeInput.value);
  });
  found.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-code]");
    if (!link) return;
    event.preventDefault();
    codeInput.value = link.dataset.code;
    lookup(link.dataset.code);
  });
  $("offline-cancel").addEventListener("click", function () {
    offline.hidden = true;
    codeInput.focus();
  });

  // --- The camera: the browser's BarcodeDetector, else the vendored jsQR, loaded only now. ---
  var stream = null;
  var timer = null;
  var jsqrLoading = null;

  function loadJsqr() {
    jsqrLoading = jsqrLoading || new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = data.jsqr;
      script.onload = function () {
        keepOffline([data.jsqr]);
        resolve();
      };
      script.onerror = function () { jsqrLoading = null; reject(); };
      document.head.appendChild(script);
    });
    return jsqrLoading;
  }

  function jsqrReader() {
    return loadJsqr().then(function () {
      var canvas = document.createElement("canvas");
      var context = canvas.getContext("2d", { willReadFrequently: true });
      return function (video) {
        var scale = Math.min(1, 640 / (video.videoWidth || 1));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        if (!canvas.width || !canvas.height) return Promise.resolve("");
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var result = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "dontInvert" });
        return Promise.resolve(result ? result.data : "");
      };
    });
  }

  // Resolves true where the phone reads QR codes itself (BarcodeDetector).
  function nativeQr() {
    if (!("BarcodeDetector" in window)) return Promise.resolve(false);
    return window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      return formats.indexOf("qr_code") >= 0;
    }, function () { return false; });
  }

  function reader() {
    return nativeQr().then(function (native) {
      if (!native) return jsqrReader();
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (video) {
        return detector.detect(video).then(function (codes) { return codes.length ? codes[0].rawValue : ""; });
      };
    });
  }

  function stopScan() {
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    $("scanner").hidden = true;
  }

  function scanLoop(video, read) {
    if (!stream) return;
    read(video).then(function (text) {
      var code = normalise(text);
      if (!code) {
        timer = setTimeout(function () { scanLoop(video, read); }, 200);
        return;
      }
      stopScan();
      codeInput.value = code;
      lookup(code);
    }, function () { timer = setTimeout(function () { scanLoop(video, read); }, 500); });
  }

  function startScan() {
    var video = $("scan-video");
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (camera) {
        stream = camera;
        video.srcObject = camera;
        $("scanner").hidden = false;
        return Promise.all([reader(), video.play()]);
      })
      .then(function (ready) { scanLoop(video, ready[0]); })
      .catch(function () {
        stopScan();
        say(t("camera"), "error");
      });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    $("scan").hidden = false;
    $("scan").addEventListener("click", startScan);
  }
  $("scan-stop").addEventListener("click", stopScan);

  // --- The service worker keeps this page and its CSS and JS for when there is no signal. ---
  function keepOffline(urls) {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.active) registration.active.postMessage({ cache: urls });
    });
  }

  // The page's static files by their hashed names, and the QR decoder: kept once each.
  function staticFiles() {
    var urls = [data.jsqr];
    document.querySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]").forEach(function (el) {
      urls.push(el.href || el.src);
    });
    return urls;
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(data.sw, { scope: data.scope }).then(function () {
      // A worker that controls the page keeps the page itself as it serves it; before
      // that (the first visit), it is asked to fetch it once.
      var urls = staticFiles();
      if (!navigator.serviceWorker.controller) urls.unshift(data.page);
      navigator.serviceWorker.ready.then(function (registration) {
        if (registration.active) registration.active.postMessage({ cache: urls, complete: true });
      });
    }).catch(function () { /* no worker: the queue still works while this page is open */ });
  }

  // Without a built-in QR reader, the decoder is fetched while the phone is idle, so the
  // first "Scan card" does not wait for it.
  function whenIdle(work) {
    if (window.requestIdleCallback) window.requestIdleCallback(work, { timeout: 5000 });
    else setTimeout(work, 1500);
  }
  if (!$("scan").hidden) {
    nativeQr().then(function (native) {
      if (!native) whenIdle(function () { loadJsqr().catch(function () {}); });
    });
  }

  // A whole card code typed in the box is looked up at once: no "Find" tap.
  codeInput.addEventListener("input", function () {
    var code = normalise(codeInput.value);
    if (code && code !== lastTyped) {
      lastTyped = code;
      lookup(code);
    }
  });

  function showNet() { $("net").hidden = navigator.onLine !== false; }
  window.addEventListener("online", function () { showNet(); sync(); });
  window.addEventListener("offline", showNet);
  $("sync-now").addEventListener("click", sync);

  // Opened with ?code= but nobody on the page: this is the phone's copy, made offline.
  var asked = new URLSearchParams(location.search).get("code");
  if (asked && found.dataset.lookedUp !== "1") {
    codeInput.value = asked;
    pickOffline(normalise(asked));
  }
  showNet();
  showQueue().then(sync);
  setInterval(sync, SYNC_EVERY_MS);
  root.setAttribute("data-ready", "1");
})();
