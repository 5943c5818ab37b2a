/* Links inside HTML drawn as one piece (components/rawhtml.py: the KPI hierarchy) move between
 * pages as dcc.Link does: the address changes and Dash's page router draws the new page, with no
 * reload. A click with a modifier key (new tab, new window), or on a link to another host, is
 * left to the browser.
 */
(function () {
  "use strict";
  document.addEventListener("click", function (e) {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    var a = e.target && e.target.closest ? e.target.closest("a[data-sy-link]") : null;
    if (!a || (a.target && a.target !== "_self")) return;
    var url = new URL(a.href, window.location.href);
    if (url.origin !== window.location.origin) return;
    e.preventDefault();
    window.history.pushState({}, "", url.pathname + url.search + url.hash);
    window.dispatchEvent(new CustomEvent("_dashprivate_pushstate"));
    window.scrollTo(0, 0);
  });
})();
