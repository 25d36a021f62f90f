// The offline district map: registers Tianjin's 16 districts from the boundaries shipped with the app
// (no tile server, nothing fetched from outside), then draws each map's option from the JSON beside it.
(function () {
  var maps = document.querySelectorAll("[data-tourism-map]");
  if (!maps.length) { return; }
  var geoUrl = maps[0].dataset.geojson;
  fetch(geoUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (geo) {
    echarts.registerMap("tianjin", geo);
    maps.forEach(function (el) {
      var option = JSON.parse(document.getElementById(el.dataset.tourismMap).textContent);
      var chart = echarts.init(el);
      chart.setOption(option);
      chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
      el.dataset.rendered = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  });
})();
