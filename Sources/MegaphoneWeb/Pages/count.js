// Enhancement only: refreshes the confirmed count (and its words, which change with
// the number: "1 person has signed", "2 people have signed") every 30 seconds.
// The page works without it.
(function () {
  var el = document.getElementById("count");
  if (!el || !window.fetch) return;
  var label = document.getElementById("count-label");
  var letters = document.getElementById("letters-label");
  function refresh() {
    fetch(el.getAttribute("data-url"), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d || typeof d.confirmed !== "number") return;
        el.textContent = typeof d.text === "string" ? d.text : String(d.confirmed);
        if (label && typeof d.label === "string") label.textContent = d.label;
        if (letters && typeof d.letters === "string") letters.textContent = d.letters;
      })
      .catch(function () {});
  }
  setInterval(refresh, 30000);
})();
