// Enhancement only: refreshes the confirmed count every 30 seconds. The page works without it.
(function () {
  var el = document.getElementById("count");
  if (!el || !window.fetch) return;
  function refresh() {
    fetch(el.getAttribute("data-url"), { credentials: "omit" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (d) { if (d && typeof d.confirmed === "number") el.textContent = String(d.confirmed); })
      .catch(function () {});
  }
  setInterval(refresh, 30000);
})();
