// newsprism: the only script. Everything works without it; it only adds comfort.
(function () {
  "use strict";

  // Light up every piece of the words a link points at (a span cut by other marks has many).
  function light() {
    document.querySelectorAll(".lit").forEach(function (el) { el.classList.remove("lit"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    document.querySelectorAll("[data-mark]").forEach(function (el) {
      if (el.getAttribute("data-mark") === id) el.classList.add("lit");
    });
  }
  window.addEventListener("hashchange", light);
  document.addEventListener("DOMContentLoaded", light);

  // A story being compared: reload once its findings are fresh.
  document.addEventListener("DOMContentLoaded", function () {
    var page = document.querySelector("[data-pending][data-story]");
    if (!page || !window.fetch) return;
    var story = page.getAttribute("data-story");
    var tries = 0;
    function check() {
      if (++tries > 150) return;
      fetch("/api/stories/" + encodeURIComponent(story), { headers: { accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && data.compared === "fresh") location.reload();
          else setTimeout(check, 2000);
        })
        .catch(function () { setTimeout(check, 4000); });
    }
    setTimeout(check, 1500);
  });
})();
