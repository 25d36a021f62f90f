// The page shell on a phone: the menu button opens and closes the navigation (Escape closes it too).
(function () {
  var button = document.querySelector("[data-menu-toggle]");
  var nav = document.getElementById("sidenav");
  if (!button || !nav) { return; }
  function set(open) {
    document.body.classList.toggle("nav-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () { set(!document.body.classList.contains("nav-open")); });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && document.body.classList.contains("nav-open")) { set(false); button.focus(); }
  });
})();
