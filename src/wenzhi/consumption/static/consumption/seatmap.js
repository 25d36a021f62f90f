// Seat selection on the SVG map: tap available seats (up to data-max), then submit the ticked ids.
(function () {
  "use strict";
  function init() {
    var form = document.getElementById("seat-form");
    if (!form) { return; }
    var max = parseInt(form.getAttribute("data-max") || "10", 10);
    var picked = [];
    var label = document.getElementById("seat-picked");
    var submit = document.getElementById("seat-submit");
    function render() {
      form.querySelectorAll("input[name=seats]").forEach(function (i) { i.remove(); });
      var names = [];
      picked.forEach(function (el) {
        var input = document.createElement("input");
        input.type = "hidden"; input.name = "seats"; input.value = el.getAttribute("data-seat");
        form.appendChild(input);
        names.push(el.getAttribute("data-label"));
      });
      label.textContent = names.length ? names.join("、") : label.getAttribute("data-empty");
      if (submit) { submit.disabled = names.length === 0; }
    }
    function toggle(el) {
      if (el.getAttribute("data-status") !== "available") { return; }
      var at = picked.indexOf(el);
      if (at >= 0) { picked.splice(at, 1); el.classList.remove("cx-picked"); el.setAttribute("aria-checked", "false"); }
      else if (picked.length < max) { picked.push(el); el.classList.add("cx-picked"); el.setAttribute("aria-checked", "true"); }
      render();
    }
    form.querySelectorAll(".cx-seat").forEach(function (el) {
      el.addEventListener("click", function () { toggle(el); });
      el.addEventListener("keydown", function (e) { if (e.key === " " || e.key === "Enter") { e.preventDefault(); toggle(el); } });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
