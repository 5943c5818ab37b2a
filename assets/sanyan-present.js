/* Meeting mode.
 *
 * 1. In any page of the app opened with ?present=1 (a slide): the projector theme (no navbar,
 *    large type, high contrast; &theme=dark for the dark one); &chart=<graph id> shows that one
 *    chart alone, full screen. Keys pressed inside a slide are handed to the presenter around it.
 * 2. In the presenter (/meeting/present/<agenda>, body[data-presenter]): one iframe per slide
 *    (a view's 16:9 slide, /meeting/slide?view=…, pages/slide.py, or the page itself),
 *    the next and previous ones loaded ahead, so a slide change only swaps which frame shows.
 *    → PageDown next, ← PageUp previous, Home End first and last, F full screen.
 *    Frames already loaded are never dropped: if the server goes away for a moment, every slide
 *    already seen still shows. ?slide=N is a deep link to a slide (kept in the address bar).
 *    window.syPresent.timings holds each slide change in ms (key press to the next painted frame).
 */
(function () {
  "use strict";
  var params = new URLSearchParams(window.location.search);
  var NAV_KEYS = ["ArrowRight", "ArrowLeft", "PageDown", "PageUp", "Home", "End", "f", "F"];

  // ------------------------------------------------------------ a slide (a page of the app)
  if (params.get("present") === "1") {
    document.documentElement.classList.add("sy-present");
    if (params.get("theme") === "dark") { document.documentElement.classList.add("sy-present-dark"); }
    var chart = params.get("chart");
    if (chart) {              // one chart of the page alone on the slide, as large as the screen allows
      var seek = setInterval(function () {
        var g = document.getElementById(chart);
        var fig = g && g.closest(".sy-chart");
        if (!fig || !g.querySelector(".js-plotly-plot")) { return; }
        clearInterval(seek);
        document.documentElement.classList.add("sy-present-only");
        fig.classList.add("sy-present-target");
        window.dispatchEvent(new Event("resize"));
      }, 100);
      setTimeout(function () { clearInterval(seek); }, 30000);
    }
    if (window.parent !== window) {
      document.addEventListener("keydown", function (ev) {
        var tag = (ev.target && ev.target.tagName) || "";
        if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
        if (NAV_KEYS.indexOf(ev.key) < 0) { return; }
        ev.preventDefault();           // a clicker's keys turn slides; they never scroll one
        try { window.parent.postMessage({syPresentKey: ev.key}, window.location.origin); } catch (e) { /* ignore */ }
      });
    }
  }

  // ------------------------------------------------------------ the presenter
  function presenter() {
    var body = document.body;
    if (!body || !body.dataset.presenter) { return; }
    var slides = JSON.parse(document.getElementById("present-slides").textContent);
    var stage = document.getElementById("present-stage");
    var frames = {};
    var current = -1;
    var dark = body.classList.contains("sy-present-dark");
    var started = performance.now();
    var state = window.syPresent = {timings: [], slides: slides.length, current: 0, loaded: {}};

    function src(i) {   // the view's 16:9 slide (web/present.slide_src), or the page in the projector theme
      return slides[i].src + (dark ? "&theme=dark" : "");
    }
    function frame(i) {
      if (i < 0 || i >= slides.length) { return null; }
      if (!frames[i]) {
        var f = document.createElement("iframe");
        f.className = "sy-presenter-frame";
        f.title = slides[i].title;
        f.dataset.slide = String(i + 1);
        f.addEventListener("load", function () { state.loaded[i + 1] = true; });
        f.src = src(i);
        f.setAttribute("aria-hidden", "true");
        f.inert = true;
        stage.appendChild(f);
        frames[i] = f;
      }
      return frames[i];
    }
    function show(i, fromKey) {
      i = Math.max(0, Math.min(slides.length - 1, i));
      if (i === current) { return; }
      var t0 = performance.now();
      var next = frame(i);
      // every frame is laid out and painted at full size all the time, stacked under the current
      // one (charts drawn at their real size while waiting): a change only restacks
      if (current >= 0 && frames[current]) {
        frames[current].classList.remove("sy-current");
        frames[current].setAttribute("aria-hidden", "true");
        frames[current].inert = true;
      }
      next.classList.add("sy-current");
      next.removeAttribute("aria-hidden");
      next.inert = false;
      current = i;
      state.current = i + 1;
      document.getElementById("present-count").textContent = (i + 1) + " / " + slides.length;
      document.getElementById("present-slide-title").textContent = slides[i].title;
      var url = new URL(window.location.href);
      url.searchParams.set("slide", String(i + 1));
      window.history.replaceState(null, "", url.toString());
      directiveLink(slides[i].path);
      requestAnimationFrame(function () {
        requestAnimationFrame(function () {
          if (fromKey) { state.timings.push(performance.now() - t0); }
          setTimeout(function () { frame(i + 1); frame(i - 1); }, 30);    // then load the neighbours
        });
      });
      try { next.focus(); } catch (e) { /* ignore */ }
    }
    function directiveLink(path) {
      var a = document.getElementById("present-directive");
      if (!a) { return; }
      var m = /^\/kpi\/([^/?#]+)/.exec(path);
      var q = new URLSearchParams(path.split("?")[1] || "");
      var want = new URLSearchParams();
      if (/^[0-9]+$/.test(body.dataset.agenda)) { want.set("agenda", body.dataset.agenda); }   // a saved meeting
      if (m) { want.set("kpi", decodeURIComponent(m[1])); }
      if (q.get("fy")) { want.set("fy", q.get("fy")); }
      a.href = "/meeting/directives" + (want.toString() ? "?" + want.toString() : "");
    }
    function key(k) {
      if (k === "ArrowRight" || k === "PageDown") { show(current + 1, true); return true; }
      if (k === "ArrowLeft" || k === "PageUp") { show(current - 1, true); return true; }
      if (k === "Home") { show(0, true); return true; }
      if (k === "End") { show(slides.length - 1, true); return true; }
      if (k === "f" || k === "F") { fullscreen(); return true; }
      return false;
    }
    function fullscreen() {
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    }
    document.addEventListener("keydown", function (ev) {
      var tag = (ev.target && ev.target.tagName) || "";
      if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
      if (key(ev.key)) { ev.preventDefault(); }
    });
    window.addEventListener("message", function (ev) {
      if (ev.origin === window.location.origin && ev.data && ev.data.syPresentKey) { key(ev.data.syPresentKey); }
    });
    document.getElementById("present-next").addEventListener("click", function () { show(current + 1, true); });
    document.getElementById("present-prev").addEventListener("click", function () { show(current - 1, true); });
    document.getElementById("present-full").addEventListener("click", fullscreen);
    document.getElementById("present-theme").addEventListener("click", function () {
      var url = new URL(window.location.href);
      if (dark) { url.searchParams.delete("theme"); } else { url.searchParams.set("theme", "dark"); }
      window.location.assign(url.toString());
    });
    var offline = document.getElementById("present-offline");
    window.addEventListener("offline", function () { offline.hidden = false; });
    window.addEventListener("online", function () { offline.hidden = true; });
    var timer = document.getElementById("present-timer");
    setInterval(function () {
      var s = Math.floor((performance.now() - started) / 1000);
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
      timer.textContent = (h ? h + ":" : "") + (m < 10 ? "0" : "") + m + ":" + (r < 10 ? "0" : "") + r;
    }, 1000);
    var first = parseInt(params.get("slide") || "1", 10);
    show(isNaN(first) ? 0 : first - 1, false);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", presenter); }
  else { presenter(); }
})();
