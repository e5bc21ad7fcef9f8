// The hotline console's shortcuts: Alt and a letter moves to a field, picks the first match or
// writes the report down. By the key's place on the keyboard (event.code), not by its letter, so
// they work the same in the Russian layout; and instead of accesskey, which browsers bind to
// different modifiers and layouts each their own way.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (!event.altKey || event.ctrlKey || event.metaKey) { return; }
    if (!event.code || event.code.indexOf("Key") !== 0) { return; }
    var letter = event.code.slice(3).toLowerCase();
    var target = document.querySelector('[data-shortcut="' + letter + '"]');
    if (!target) { return; }
    event.preventDefault();
    if (target.tagName === "BUTTON") { target.click(); return; }
    target.focus();
    if (target.type === "radio") { target.checked = true; }
  });
})();

// An event typed that is not in the list: open the box that adds it as a new event (the server
// opens it too, when the report is written down with an unknown event).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    var box = document.getElementById("new-event");
    if (!box || !input || input.id !== "id_event") { return; }
    // By name, as the server finds it: "Марш мира" is "Марш мира — Москва, 21.09.2026".
    var name = function (label) { return label.split(" — ")[0].replace(/\s+/g, " ").trim(); };
    var typed = name(input.value);
    var known = Array.prototype.some.call(
      document.querySelectorAll("#event-options option"),
      function (option) { return name(option.value) === typed; }
    );
    box.hidden = !typed || known;
  });
})();
