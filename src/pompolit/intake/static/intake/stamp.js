// The public form's proof-of-work stamp (intake/public/limits.py): find a counter such that
// SHA-256 of "challenge:counter" starts with the challenge's number of zero bits, with the
// browser's own SHA-256 (crypto.subtle). Started when the page opens; if the person presses
// "Send" first, the form waits for it. Without JavaScript, or without crypto.subtle, the form
// is sent without a stamp and the server applies its stricter limit.
(function () {
  "use strict";
  var form = document.getElementById("public-report");
  if (!form || !window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var challengeInput = form.querySelector("[data-stamp-challenge]");
  var counterInput = form.querySelector("[data-stamp-counter]");
  var status = form.querySelector("[data-stamp-status]");
  var challenge = challengeInput.value;
  // The payload is the signed value's first part, base64url JSON: {"n": nonce, "b": bits}.
  var bits = 16;
  try {
    var part = challenge.split(":")[0].replace(/-/g, "+").replace(/_/g, "/");
    while (part.length % 4) { part += "="; }
    bits = JSON.parse(atob(part)).b || bits;
  } catch (e) { /* keep the default */ }
  var encoder = new TextEncoder();
  var done = false;
  var waiting = false;

  function zeroBits(buffer) {
    var bytes = new Uint8Array(buffer);
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var b = bytes[i];
      while ((b & 0x80) === 0) { count++; b <<= 1; }
      return count;
    }
    return count;
  }

  function search(start) {
    var batch = [];
    for (var c = start; c < start + 256; c++) {
      batch.push(window.crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + c)));
    }
    return Promise.all(batch).then(function (digests) {
      for (var i = 0; i < digests.length; i++) {
        if (zeroBits(digests[i]) >= bits) { return start + i; }
      }
      return search(start + 256);
    });
  }

  search(0).then(function (counter) {
    counterInput.value = String(counter);
    done = true;
    if (status) { status.textContent = ""; }
    if (waiting) { form.submit(); }
  });

  form.addEventListener("submit", function (event) {
    if (done) { return; }
    event.preventDefault();
    waiting = true;
    if (status) { status.textContent = status.getAttribute("data-working"); }
  });
})();
