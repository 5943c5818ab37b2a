/* A slide's charts grow with the screen (pages/slide.py, assets/sanyan-slide.css).
 *
 * The figures are made for a 1280×720 slide (no font under 18 px there); on a larger screen every
 * font of a chart is multiplied by the slide's height / 720, as the slide's own text is (2.5u).
 * When each chart is drawn at its size, <html> gets data-slide-ready="1" (the exports wait for it).
 */
(function () {
  "use strict";
  var BASE = 720;
  if (window.location.pathname.replace(/\/$/, "") !== "/meeting/slide") { return; }

  function fontPaths(node, path, out) {          // "xaxis.title.font.size" → its size, for every font
    if (!node || typeof node !== "object") { return out; }
    Object.keys(node).forEach(function (k) {
      var v = node[k], p = path ? path + "." + k : k;
      if (Array.isArray(v)) {
        v.forEach(function (x, i) { fontPaths(x, p + "[" + i + "]", out); });
      } else if (v && typeof v === "object") {
        if ((k === "font" || k === "tickfont") && typeof v.size === "number") { out[p + ".size"] = v.size; }
        fontPaths(v, p, out);
      }
    });
    return out;
  }

  function scale() {
    var canvas = document.getElementById("slide-canvas");
    if (!canvas) { return false; }
    var wanted = canvas.querySelectorAll(".sy-slide-graph").length;
    if (!wanted) { document.documentElement.dataset.slideReady = "1"; return true; }
    var graphs = canvas.querySelectorAll(".js-plotly-plot");
    if (!window.Plotly || graphs.length < wanted) { return false; }
    var s = Math.max(1, canvas.getBoundingClientRect().height / BASE);
    var pending = [];
    graphs.forEach(function (gd) {
      if (!gd.layout) { return; }
      if (!gd._syBase) { gd._syBase = fontPaths(gd.layout, "", {}); }
      if (gd._syScale && Math.abs(gd._syScale - s) < 0.01) { return; }
      var update = {};
      Object.keys(gd._syBase).forEach(function (p) { update[p] = Math.round(gd._syBase[p] * s); });
      gd._syScale = s;
      pending.push(window.Plotly.relayout(gd, update));
    });
    Promise.all(pending).then(function () { document.documentElement.dataset.slideReady = "1"; });
    return true;
  }

  var tries = 0;
  var seek = setInterval(function () {
    tries += 1;
    if (scale() || tries > 300) { clearInterval(seek); }
  }, 100);
  var timer = null;
  window.addEventListener("resize", function () {
    clearTimeout(timer);
    timer = setTimeout(scale, 150);
  });
})();
