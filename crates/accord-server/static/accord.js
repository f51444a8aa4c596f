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

  // Tabling starts from the paragraph's words: selecting them in a paragraph
  // of the compilation copies them into its proposal form (no retyping).
  function fromSelection() {
    var sel = window.getSelection();
    if (!sel || sel.isCollapsed) { return; }
    var node = sel.anchorNode;
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    var section = el && el.closest("section.paragraph");
    var p = section && section.querySelector("p[dir]");
    var find = section && section.querySelector("details.table-proposal input[name=find]");
    if (!p || !find || !p.contains(sel.focusNode)) { return; }
    var text = sel.toString();
    // Not the margin's number nor the status badge.
    var num = p.querySelector(".num");
    var badge = p.querySelector(".badge");
    if (num && text.indexOf(num.textContent) === 0) { text = text.slice(num.textContent.length); }
    if (badge && text.slice(-badge.textContent.length) === badge.textContent) { text = text.slice(0, -badge.textContent.length); }
    text = text.trim();
    if (!text) { return; }
    find.value = text;
    find.closest("details").open = true;
  }
  document.addEventListener("mouseup", fromSelection);
  document.addEventListener("keyup", fromSelection);
})();
