/* Charts drawn when they come near the screen (components/lazychart.py, issue 29).
 *
 * A lazy chart is a box [data-sy-lazy=<graph id>] of the chart's final height holding a
 * placeholder (.sy-lazy-placeholder) until it is drawn (or, never scrolled to, once the page has
 * been quiet for REST_MS, in the browser's idle moments). An IntersectionObserver with a margin of
 * one screen above and below watches each box still holding its placeholder; when one comes
 * near, the store {type: "sy-lazy-seen", graph: <id>} is set to true (dash_clientside.set_props)
 * and the clientside callback syLazy.draw puts the stored dcc.Graph in the box: Plotly draws it.
 * Everything is drawn at once when the page is printed (beforeprint, print media: the PDF
 * export emulates it), in meeting mode (?present=1, html.sy-present) and without
 * IntersectionObserver. A box reused by React for a new page (another province) gets its
 * placeholder back and is watched again (a MutationObserver looks for new boxes).
 */
(function () {
  "use strict";
  var dc = window.dash_clientside = window.dash_clientside || {};
  dc.syLazy = {
    draw: function (seen, graph) {
      if (!seen || !graph) { return dc.no_update; }
      return graph;
    }
  };

  var params = new URLSearchParams(window.location.search);
  var printMedia = window.matchMedia ? window.matchMedia("print") : null;
  var everything = params.get("present") === "1" || !("IntersectionObserver" in window) ||
    !!(printMedia && printMedia.matches);
  var io = null;
  var SETTLE_MS = 200;
  var asked = new WeakMap();        // placeholder -> when its chart was asked for
  var RETRY_MS = 2000;

  function waiting(box) {           // still showing its placeholder: not drawn yet
    return !!box.querySelector(".sy-lazy-placeholder");
  }

  function near(box) {              // within one screen of being seen (the observer's margin)
    var r = box.getBoundingClientRect();
    var h = window.innerHeight || document.documentElement.clientHeight;
    return r.width > 0 && r.bottom > -h && r.top < 2 * h;
  }

  function all() { return everything || document.documentElement.classList.contains("sy-present"); }

  function wanted(box) { return all() || near(box); }

  function draw(box) {
    var ph = box.querySelector(".sy-lazy-placeholder");
    if (!ph || !dc.set_props) { return; }
    var now = Date.now(), last = asked.get(ph);
    if (last && now - last < RETRY_MS) { return; }  // asked already (and looked at again below)
    asked.set(ph, now);
    if (io) { io.unobserve(box); }
    dc.set_props({type: "sy-lazy-seen", graph: box.getAttribute("data-sy-lazy")}, {data: true});
    // a page drawn anew meanwhile (another province) may keep this box and its placeholder with a
    // fresh store: still waiting later, ask again (near) or watch it again (far)
    setTimeout(function () {
      if (!waiting(box)) { return; }
      if (wanted(box)) { draw(box); } else if (io) { io.observe(box); }
    }, RETRY_MS + 50);
  }

  function scan() {
    scheduled = false;
    var boxes = document.querySelectorAll("[data-sy-lazy]");
    if (!boxes.length) { return; }
    if (all()) {
      for (var i = 0; i < boxes.length; i++) { draw(boxes[i]); }
      return;
    }
    if (!io) {
      io = new IntersectionObserver(function (entries) {
        entries.forEach(function (e) {
          // still near a moment later: a page's long tables may be drawn after its charts' boxes
          // (dash-extensions' Purify), and a box briefly near the top is then far below
          if (e.isIntersecting) { setTimeout(function () { if (near(e.target)) { draw(e.target); } }, SETTLE_MS); }
        });
      }, {rootMargin: "100% 0px 100% 0px"});
    }
    for (var j = 0; j < boxes.length; j++) {
      if (waiting(boxes[j])) { io.observe(boxes[j]); } // observing twice is a no-op
    }
    restLater();
  }

  // The charts never scrolled to are drawn too once the page has been quiet for a while, one at a
  // time in the browser's idle moments: a page printed with Ctrl+P later (beforeprint comes too late
  // for Plotly to finish) or read without scrolling still has every chart.
  var REST_MS = 4000, restTimer = null;
  var idle = window.requestIdleCallback ?
    function (f) { window.requestIdleCallback(f, {timeout: 2000}); } : function (f) { setTimeout(f, 100); };

  function restLater() {
    if (restTimer) { clearTimeout(restTimer); }
    restTimer = setTimeout(function () {
      restTimer = null;
      var rest = Array.prototype.filter.call(document.querySelectorAll("[data-sy-lazy]"), waiting);
      function next() {
        var box = rest.shift();
        if (box && waiting(box)) { draw(box); }
        if (rest.length) { idle(next); }
      }
      if (rest.length) { idle(next); }
    }, REST_MS);
  }

  var scheduled = false;
  function later() {
    if (scheduled) { return; }
    scheduled = true;
    setTimeout(scan, 0);
  }

  function drawAll() {
    everything = true;
    scan();
  }

  window.addEventListener("beforeprint", drawAll);
  if (printMedia) {
    var onPrint = function (ev) { if (ev.matches) { drawAll(); } };
    if (printMedia.addEventListener) { printMedia.addEventListener("change", onPrint); }
    else if (printMedia.addListener) { printMedia.addListener(onPrint); }
  }

  function start() {
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        if (records[i].addedNodes.length) { later(); return; }
      }
    }).observe(document.body, {childList: true, subtree: true});
    later();
  }
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
