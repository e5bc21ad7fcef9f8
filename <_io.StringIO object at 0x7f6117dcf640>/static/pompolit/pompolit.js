/* Pompolit's only script of its own. Every page works without it; it adds conveniences.
   No inline handlers (the CSP forbids them): behaviour hangs on data- attributes. */
(function () {
  "use strict";

  // Copy buttons: <button data-copy="ID" hidden> copies the text of element ID.
  function setUpCopyButtons(root) {
    root.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.hidden = false;
      if (button.dataset.copyReady) { return; }
      button.dataset.copyReady = "1";
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        if (!source) { return; }
        var text = (source.tagName === "INPUT" || source.tagName === "TEXTAREA" ? source.value : source.innerText).trim();
        var done = function () {
          var status = document.getElementById(button.dataset.copy + "-status");
          if (status) { status.textContent = button.dataset.copied || "Copied."; }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(done, function () { selectText(source); });
        } else {
          selectText(source);
        }
      });
    });
  }

  function selectText(element) {
    var range = document.createRange();
    range.selectNodeContents(element);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  // Forms that undo something ask once more: <form data-confirm="Are you sure?">.
  // htmx-driven forms use hx-confirm instead, so they are skipped here.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !form.hasAttribute("hx-post")) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    }
  });

  // After htmx swaps part of a page, move focus there so screen readers announce the result —
  // unless the part says not to (data-keep-focus): what updates while someone types (matches,
  // type-ahead lists) or by itself (a polled board) is announced by its aria-live instead.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt;
    if (!target || !target.querySelector) { return; }
    setUpCopyButtons(target);
    if (target.closest && target.closest("[data-keep-focus]")) { return; }
    var message = document.querySelector("#messages li");
    var focusTarget = message ? document.getElementById("messages") : target;
    if (focusTarget) {
      if (!focusTarget.hasAttribute("tabindex")) { focusTarget.setAttribute("tabindex", "-1"); }
      focusTarget.focus();
    }
  });

  // A fund that cannot pay the chosen kind of aid is disabled: <option data-kinds="parcel books">;
  // if the chosen fund cannot, the form falls back to <option data-fallback>.
  document.addEventListener("change", function (event) {
    var kind = event.target;
    if (kind.name !== "kind" || !kind.form || !kind.form.elements.fund) { return; }
    var fund = kind.form.elements.fund;
    Array.prototype.forEach.call(fund.options, function (option) {
      if (option.dataset.kinds === undefined) { return; }
      option.disabled = option.dataset.kinds.split(" ").indexOf(kind.value) < 0;
    });
    var chosen = fund.options[fund.selectedIndex];
    var fallback = fund.querySelector("option[data-fallback]");
    if (chosen && chosen.disabled && fallback && !fallback.disabled) { fallback.selected = true; }
  });

  // A box that narrows a long list: <div data-filter-for="SELECT-ID" hidden><input>…</div>.
  // Options whose text does not hold what is typed are hidden (those with no value stay).
  function setUpFilters(root) {
    root.querySelectorAll("[data-filter-for]").forEach(function (box) {
      var select = document.getElementById(box.dataset.filterFor);
      var input = box.querySelector("input");
      if (!select || !input) { return; }
      box.hidden = false;
      input.addEventListener("input", function () {
        var words = input.value.toLowerCase().replace(/ё/g, "е").split(/\s+/).filter(Boolean);
        Array.prototype.forEach.call(select.options, function (option) {
          var text = option.text.toLowerCase().replace(/ё/g, "е");
          option.hidden = Boolean(option.value) && option.value !== "new" &&
            !words.every(function (word) { return text.indexOf(word) >= 0; });
        });
      });
    });
  }

  // A part shown only for one choice: <fieldset data-show-when="SELECT-ID=VALUE">.
  function setUpShowWhen(root) {
    root.querySelectorAll("[data-show-when]").forEach(function (part) {
      var rule = part.dataset.showWhen.split("=");
      var select = document.getElementById(rule[0]);
      if (!select) { return; }
      var update = function () { part.hidden = select.value !== rule[1]; };
      select.addEventListener("change", update);
      update();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpCopyButtons(document);
    setUpFilters(document);
    setUpShowWhen(document);
  });
})();
