// roadmapgen default theme. Progressive enhancement only: every page reads fine without this script.
(function () {
  "use strict";

  // The skip link moves keyboard focus to <main>, in every browser.
  function skipLink() {
    var link = document.querySelector(".skip-link");
    var main = document.getElementById("main");
    if (!link || !main) { return; }
    link.addEventListener("click", function () { main.focus(); });
  }

  // A table wider than the screen scrolls inside its box; make that box reachable and scrollable by
  // keyboard (and named after the table's caption) while it overflows, and only then.
  function scrollableTables() {
    var boxes = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      var caption = box.querySelector("caption");
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", (caption ? caption.textContent.trim() : "Table") + " (scrolls sideways)");
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }

  // Printing: Plotly draws charts at the screen's width and in the screen's text colour (light in
  // dark mode); redraw them at the paper's width (A4 and Letter are about 700 CSS pixels wide inside
  // their margins) in dark ink, and back afterwards.
  var PRINT_WIDTH = 680;
  var PRINT_INK = "#1b1f24";
  var printing = false;
  var saved = [];

  function fitCharts(toPrint) {
    if (!window.Plotly || toPrint === printing) { return; }
    printing = toPrint;
    if (toPrint) {
      saved = [];
      var charts = document.querySelectorAll(".js-plotly-plot");
      for (var i = 0; i < charts.length; i++) {
        var chart = charts[i], layout = chart.layout || {};
        var box = chart.parentElement ? chart.parentElement.clientWidth : PRINT_WIDTH;
        saved.push({ chart: chart, width: layout.width, ink: layout.font ? layout.font.color : undefined });
        window.Plotly.relayout(chart, { width: Math.min(box || PRINT_WIDTH, PRINT_WIDTH), "font.color": PRINT_INK });
      }
    } else {
      saved.forEach(function (s) {
        var done = window.Plotly.relayout(s.chart, { width: s.width === undefined ? null : s.width,
                                                     "font.color": s.ink === undefined ? null : s.ink });
        if (s.width === undefined && done && done.then) { done.then(resizer(s.chart)); }
      });
      saved = [];
    }
  }

  function resizer(chart) {
    return function () { window.Plotly.Plots.resize(chart); };
  }

  function onPrint() {
    window.addEventListener("beforeprint", function () { fitCharts(true); });
    window.addEventListener("afterprint", function () { fitCharts(false); });
    if (window.matchMedia) {
      var query = window.matchMedia("print");
      var listener = function (event) { fitCharts(event.matches); };
      if (query.addEventListener) { query.addEventListener("change", listener); } else if (query.addListener) { query.addListener(listener); }
    }
  }

  var resizeTimer = null;
  function start() {
    skipLink();
    scrollableTables();
    onPrint();
    window.addEventListener("resize", function () {
      window.clearTimeout(resizeTimer);
      resizeTimer = window.setTimeout(scrollableTables, 150);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
