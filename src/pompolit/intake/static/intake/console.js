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
