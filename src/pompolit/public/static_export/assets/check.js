// "Check my donation" on the static copy, in the browser: the receipt identifier is SHA-256 of
// the code (docs/ledger.md), the inclusion proof is RFC 9162's, the checkpoint a C2SP signed
// note under Ed25519. Every primitive is the browser's own (WebCrypto); nothing is sent.
"use strict";
(function () {
  const form = document.getElementById("receipt-check");
  const result = document.getElementById("receipt-result");
  if (!form || !result || !window.crypto || !crypto.subtle) return;
  const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  const LOOKALIKES = {
    "O": "0", "I": "1", "L": "1", "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "К": "K",
    "М": "M", "О": "0", "Р": "P", "Т": "T", "Х": "X", "У": "Y", "З": "3",
  };
  const SEPARATORS = /[ \-_.\u00a0\u2010-\u2014\t\n]/g;
  const encoder = new TextEncoder();

  class Problem extends Error {}

  function normalise(text) {
    let code = "";
    for (const ch of text.toUpperCase().replace(SEPARATORS, "")) code += LOOKALIKES[ch] || ch;
    if ([...code].some((ch) => !ALPHABET.includes(ch))) throw new Problem(form.dataset.chars);
    if (code.length !== 28) throw new Problem(form.dataset.length.replace("{got}", code.length));
    let rest = 0;  // the code's number modulo 1021, a symbol at a time
    for (const ch of code.slice(0, 26)) rest = (rest * 32 + ALPHABET.indexOf(ch)) % 1021;
    if (ALPHABET[Math.floor(rest / 32)] + ALPHABET[rest % 32] !== code.slice(26)) {
      throw new Problem(form.dataset.typo);
    }
    return code;
  }

  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const part of parts) { out.set(part, at); at += part.length; }
    return out;
  }
  async function sha256(...parts) {
    return new Uint8Array(await crypto.subtle.digest("SHA-256", concat(...parts)));
  }
  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  const unbase64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);

  // RFC 9162, 2.1.3.2: the root from a leaf hash and its inclusion proof.
  async function rootFrom(index, size, leafHash, proof) {
    if (index >= size) return null;
    let fn = index, sn = size - 1, r = leafHash;
    for (const p of proof) {
      if (sn === 0) return null;
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(Uint8Array.of(1), p, r);
        if (fn % 2 === 0) { while (fn % 2 === 0 && fn !== 0) { fn = Math.floor(fn / 2); sn = Math.floor(sn / 2); } }
      } else {
        r = await sha256(Uint8Array.of(1), r, p);
      }
      fn = Math.floor(fn / 2); sn = Math.floor(sn / 2);
    }
    return sn === 0 ? r : null;
  }

  // A checkpoint note signed by the key "name+keyid+base64(0x01 || key)".
  async function checkpoint(note, vkeyText) {
    // name+keyid+base64: the base64 may hold "+" too.
    const [name, keyId, ...rest] = vkeyText.trim().split("+");
    const encoded = rest.join("+");
    const key = unbase64(encoded);
    if (key.length !== 33 || key[0] !== 1) throw new Problem(form.dataset.bad);
    const expectedId = hex((await sha256(encoder.encode(name + "\n"), key)).slice(0, 4));
    if (expectedId !== keyId) throw new Problem(form.dataset.bad);
    const split = note.indexOf("\n\n");
    const text = note.slice(0, split + 1);
    const publicKey = await crypto.subtle.importKey("raw", key.slice(1), { name: "Ed25519" }, false, ["verify"]);
    let good = false;
    for (const line of note.slice(split + 2).split("\n")) {
      if (!line.startsWith("\u2014 " + name + " ")) continue;
      const raw = unbase64(line.slice(name.length + 3));
      if (hex(raw.slice(0, 4)) !== keyId) continue;
      good = good || await crypto.subtle.verify({ name: "Ed25519" }, publicKey, raw.slice(4), encoder.encode(text));
    }
    if (!good) throw new Problem(form.dataset.bad);
    const lines = text.split("\n");
    return { origin: lines[0], size: Number(lines[1]), root: unbase64(lines[2]) };
  }

  function show(rows, notes) {
    result.replaceChildren();
    const heading = document.createElement("h2");
    heading.textContent = form.dataset.found;
    const list = document.createElement("dl");
    for (const [label, value] of rows) {
      const dt = document.createElement("dt");
      const dd = document.createElement("dd");
      dt.textContent = label;
      dd.textContent = value;
      list.append(dt, dd);
    }
    result.append(heading, list);
    for (const [text, kind] of notes) {
      const p = document.createElement("p");
      p.className = kind;
      p.textContent = text;
      result.append(p);
    }
  }
  function fail(text) {
    result.replaceChildren();
    const p = document.createElement("p");
    p.className = "notice warn";
    p.textContent = text;
    result.append(p);
  }
  async function fetchText(url) {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) throw new Problem(form.dataset.failed);
    return response.text();
  }

  async function check(typed) {
    const code = normalise(typed);
    const id = hex(await sha256(encoder.encode("pompolit-receipt-id/1\u0000" + code)));
    const base = form.dataset.urlIndex.replace(/00\.json$/, "");
    let shard, vkeyText;
    try {
      shard = JSON.parse(await fetchText(base + id.slice(0, 2) + ".json"));
      vkeyText = await fetchText(form.dataset.urlVkey);
    } catch (error) {
      if (error instanceof Problem) throw error;
      throw new Problem(form.dataset.failed);
    }
    const found = shard.receipts[id];
    if (!found) throw new Problem(form.dataset.missing);
    const doc = found.inclusion;
    const signed = await checkpoint(doc.checkpoint, vkeyText);
    const data = unbase64(doc.leaf_data);
    const root = await rootFrom(doc.index, doc.size, await sha256(Uint8Array.of(0), data),
                                doc.proof.map(unbase64));
    if (signed.size !== doc.size || !root || !same(root, signed.root)) {
      throw new Problem(form.dataset.bad);
    }
    const leaf = JSON.parse(new TextDecoder().decode(data));
    if (leaf.receipt !== id) throw new Problem(form.dataset.bad);
    const first = leaf.postings[0];
    const rows = [[form.dataset.amount, first.amount + " " + first.currency],
                  [form.dataset.date, leaf.date], [form.dataset.fund, first.fund]];
    if (leaf.campaign) rows.push([form.dataset.campaign, leaf.campaign]);
    rows.push([form.dataset.entry, "#" + doc.index]);
    const notes = [[form.dataset.verified + " " + vkeyText.trim(), "notice ok"]];
    if (found.reversed_by !== null && found.reversed_by !== undefined) {
      notes.push([form.dataset.reversed + " (#" + found.reversed_by + ")", "notice warn"]);
    }
    show(rows, notes);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const typed = form.elements.namedItem("code").value;
    check(typed).catch((error) => {
      if (!(error instanceof Problem)) console.error(error);  // for whoever looks into it
      fail(error instanceof Problem ? error.message : form.dataset.bad);
    });
  });
  form.hidden = false;
})();
