// Accord's progressive enhancement. Every page works without it; with it,
// the live screen follows the co-facilitators' edits as they happen.
(function () {
  "use strict";

  var live = document.getElementById("live");
  if (live && window.EventSource) {
    var textEl = document.getElementById("live-text");
    var status = document.getElementById("live-status");
    var revision = document.getElementById("live-revision");
    var current = textEl.textContent;
    // EventSource reconnects by itself and sends Last-Event-ID; the server
    // answers a reconnect with the paragraph as it stands, so nothing is missed.
    var source = new EventSource(live.getAttribute("data-events"));
    source.addEventListener("open", function () { status.textContent = "Live: following the screen."; });
    source.addEventListener("error", function () { status.textContent = "Connection lost; reconnecting…"; });
    var editor = document.getElementById("live-editor");
    // Each event is the paragraph as the server rendered it (escaped, the
    // changed words already marked): the page swaps it in, nothing more.
    source.addEventListener("paragraph", function (e) {
      textEl.innerHTML = e.data;
      var text = textEl.textContent;
      // A co-facilitator with unsaved changes keeps the revision they started
      // from, so the server refuses their save as a conflict instead of
      // silently replacing someone else's edit.
      var untouched = !editor || editor.value === current || editor.value === text;
      if (editor && untouched) { editor.value = text; }
      if (revision && untouched) { revision.value = e.lastEventId; }
      current = text;
      document.body.setAttribute("data-live-revision", e.lastEventId);
    });
    source.addEventListener("gone", function () {
      status.textContent = "This paragraph is no longer in the working text (a new revision may have been produced).";
      source.close();
    });
    var form = document.getElementById("live-form");
    if (form && window.fetch) {
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        fetch(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)), headers: { "Accept": "application/json" } })
          .then(function (r) { return r.json().then(function (j) { return [r.status, j]; }); })
          .then(function (res) {
            if (res[0] >= 400) { status.textContent = (res[1].error && res[1].error.message) || "Not saved."; }
            else { status.textContent = "Shown to everyone."; }
          })
          .catch(function () { status.textContent = "Not saved: the connection failed."; });
      });
    }
  }
})();
