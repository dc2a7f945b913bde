/* Review console: keyboard shortcuts, bulk selection and the wellness reveal. Loaded from 'self' only. */
(function () {
  "use strict";
  var rows = [], current = -1;

  function typing(el) {
    return el && (el.tagName === "INPUT" || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  function revealAll() {
    document.querySelectorAll("[data-reveal]").forEach(function (fig) { fig.classList.add("revealed"); });
  }

  function selectRow(i) {
    if (!rows.length) { return; }
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, j) { r.classList.toggle("selected", j === current); });
    rows[current].scrollIntoView({block: "nearest"});
  }

  function toggleHelp() {
    var help = document.getElementById("shortcut-help");
    if (help) { help.hidden = !help.hidden; }
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (typing(e.target)) {
      if (e.key === "Escape") { e.target.blur(); }
      return;
    }
    if (e.key === "?") { toggleHelp(); e.preventDefault(); return; }
    if (e.key === "v") { revealAll(); return; }
    if (e.key === "j" || e.key === "k") { selectRow(current + (e.key === "j" ? 1 : -1)); return; }
    if (e.key === "Enter" && current >= 0) {
      var link = rows[current].querySelector("[data-case-link]");
      if (link) { link.click(); }
      return;
    }
    var target = document.querySelector('[data-shortcut="' + (e.key === '"' ? "" : e.key) + '"]');
    if (!target) { return; }
    e.preventDefault();
    if (typing(target)) { target.focus(); } else { target.click(); }
  });

  document.addEventListener("submit", function (e) {
    var button = e.submitter;
    if (!button || !button.hasAttribute("data-needs-rationale")) { return; }
    var rationale = e.target.querySelector("textarea[name=rationale]");
    if (rationale && rationale.value.trim().length < 10) {
      e.preventDefault();
      rationale.setCustomValidity("Write why this content stays up (at least 10 characters).");
      rationale.reportValidity();
      rationale.focus();
    }
  });

  document.addEventListener("input", function (e) {
    if (e.target.name === "rationale") { e.target.setCustomValidity(""); }
  });

  document.addEventListener("click", function (e) {
    var t = e.target;
    if (t.closest("[data-reveal-button]")) { t.closest("[data-reveal]").classList.toggle("revealed"); return; }
    if (t.closest("[data-help-toggle]")) { toggleHelp(); return; }
    if (t.matches("[data-select-all]")) {
      document.querySelectorAll("input[name=case]").forEach(function (box) { box.checked = t.checked; });
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    rows = Array.prototype.slice.call(document.querySelectorAll("[data-row]"));
  });
}());
