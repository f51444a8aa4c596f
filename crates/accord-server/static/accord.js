// Accord's progressive enhancement. Every page works without it; with it,
// the live screen follows the co-facilitators' edits as they happen.
(function () {
  "use strict";

  // Word-level highlight of what changed between two texts.
  function words(s) { return s.split(/(\s+)/); }
  function highlight(oldText, newText) {
    var a = words(oldText), b = words(newText);
    var n = a.length, m = b.length, i, j;
    var lcs = [];
    for (i = 0; i <= n; i++) { lcs.push(new Array(m + 1).fill(0)); }
    for (i = n - 1; i >= 0; i--) for (j = m - 1; j >= 0; j--)
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    var out = document.createDocumentFragment(); i = 0; j = 0;
    while (j < m) {
      if (i < n && a[i] === b[j]) { out.appendChild(document.createTextNode(b[j])); i++; j++; }
      else if (i < n && lcs[i + 1][j] >= lcs[i][j + 1]) { i++; }
      else { var mk = document.createElement("mark"); mk.className = "changed"; mk.textContent = b[j]; out.appendChild(mk); j++; }
    }
    return out;
  }

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
    source.addEventListener("paragraph", function (e) {
      var p = JSON.parse(e.data);
      if (p.text !== current) {
        textEl.replaceChildren(highlight(current, p.text));
        // The brackets and references come back once the highlight fades.
        var html = p.html;
        setTimeout(function () { if (current === p.text) { textEl.innerHTML = html; } }, 4000);
      }
      // A co-facilitator with unsaved changes keeps the revision they started
      // from, so the server refuses their save as a conflict instead of
      // silently replacing someone else's edit.
      var untouched = !editor || editor.value === current || editor.value === p.text;
      if (editor && untouched) { editor.value = p.text; }
      if (revision && untouched) { revision.value = p.revision; }
      current = p.text;
      document.body.setAttribute("data-live-revision", p.revision);
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
