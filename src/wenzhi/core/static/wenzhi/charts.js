// Draws every ECharts panel on the page from the JSON beside it. A file, not an inline script, so the
// Content-Security-Policy can forbid inline scripts outright.
document.querySelectorAll("[data-echarts]").forEach(function (el) {
  var option = JSON.parse(document.getElementById(el.dataset.echarts).textContent);
  var chart = echarts.init(el);
  chart.setOption(option);
  // A bar or a slice that carries a url opens the list it counts, filtered accordingly.
  chart.on("click", function (params) { if (params.data && params.data.url) { window.location.href = params.data.url; } });
  el.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
});
