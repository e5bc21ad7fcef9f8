// The static copy's prisoner list: filters run here, over the list in the page; nothing is
// sent anywhere. Without this script the whole list shows.
"use strict";
(function () {
  const form = document.getElementById("static-filter");
  const list = document.getElementById("static-list");
  const count = document.getElementById("static-count");
  if (!form || !list) return;
  const items = Array.from(list.querySelectorAll("li[data-name]"));
  const LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
  };
  // Both sides to one rough Latin spelling: Горинов, Gorinov and Gorinow meet.
  function key(text) {
    let out = "";
    for (const ch of text.toLowerCase()) out += ch in LATIN ? LATIN[ch] : ch;
    return out.replace(/w/g, "v").replace(/[yj]/g, "i").replace(/h/g, "").replace(/[^a-z0-9 ]/g, " ")
      .replace(/\s+/g, " ").trim();
  }
  for (const item of items) item.dataset.key = key(item.dataset.name || "");
  function fill(select, name) {
    const values = Array.from(new Set(items.map((i) => i.dataset[name]).filter(Boolean))).sort();
    for (const value of values) select.append(new Option(value, value));
  }
  const q = form.elements.namedItem("q");
  const region = form.elements.namedItem("region");
  const status = form.elements.namedItem("status");
  const letters = form.elements.namedItem("letters");
  fill(region, "region");
  fill(status, "status");
  function apply() {
    const wanted = key(q.value);
    let shown = 0;
    for (const item of items) {
      const ok = (!wanted || wanted.split(" ").every((w) => item.dataset.key.includes(w))) &&
        (!region.value || item.dataset.region === region.value) &&
        (!status.value || item.dataset.status === status.value) &&
        (!letters.checked || item.dataset.letters === "1");
      item.style.display = ok ? "" : "none";  // the cards' own display wins over [hidden]
      if (ok) shown += 1;
    }
    count.textContent = form.dataset.shown.replace("{n}", shown).replace("{total}", items.length);
  }
  form.addEventListener("input", apply);
  form.addEventListener("submit", (event) => { event.preventDefault(); apply(); });
  document.getElementById("static-filter-box").hidden = false;
})();
