// Enhancement only: refreshes the confirmed count every 30 seconds, and its words,
// which change with the number ("1 person has signed", "2 people have signed"): the
// page carries each plural form, and the browser's Intl.PluralRules picks one.
// The page works without it.
(function () {
  var el = document.getElementById("count");
  if (!el || !window.fetch) return;
  var label = document.getElementById("count-label");
  var lang = label ? label.getAttribute("data-lang") : "en";
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang) : null;
  function grouped(n) {
    try { return n.toLocaleString(lang); } catch (e) { return String(n); }
  }
  function refresh() {
    fetch(el.getAttribute("data-url"), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) {
        if (!d || typeof d.confirmed !== "number") return;
        el.textContent = grouped(d.confirmed);
        if (label && rules) {
          var form = label.getAttribute("data-" + rules.select(d.confirmed)) || label.getAttribute("data-other") || label.getAttribute("data-many");
          if (form) label.textContent = form;
        }
      })
      .catch(function () {});
  }
  setInterval(refresh, 30000);
})();
