/* Sanyan exports in the browser (Dash serves every .js in assets/).
 *
 * - Charts: the "↓ PNG" / "↓ SVG" buttons under every chart (components/cockpit.py graph()).
 *   The SVG from Plotly gets the Sarabun web font inlined (data: URI, from assets/), so the file
 *   shows Thai in Sarabun anywhere; the PNG is drawn from that SVG. If that fails, Plotly's own
 *   Plotly.downloadImage is used (then the PNG uses whatever Thai font the machine has).
 * - Tables: a "↓ Excel" button after every table.sy-table (added when Dash draws the table);
 *   the cells' text goes to POST /export/table.xlsx, which answers a workbook.
 * - Pages: the footer's #shell-export-pdf fetches /export/pdf?path=<this page>.
 * Nothing is fetched from another host.
 */
(function () {
  "use strict";

  function english() { return (document.documentElement.lang || "th") === "en"; }
  function say(th, en) { return english() ? en : th; }

  function saveBlob(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
  }

  function fileName(resp, fallback) {
    var cd = resp.headers.get("Content-Disposition") || "";
    var m = /filename\*=UTF-8''([^;]+)/i.exec(cd);
    if (m) { try { return decodeURIComponent(m[1]); } catch (e) { /* fall through */ } }
    m = /filename="?([^";]+)"?/i.exec(cd);
    return m ? m[1] : fallback;
  }

  function pageSlug() {
    return (location.pathname.replace(/^\/+|\/+$/g, "").replace(/[^\w\u0E00-\u0E7F-]+/g, "-") || "home");
  }

  function busy(el, on) {
    if (on) { el.setAttribute("aria-busy", "true"); el.setAttribute("data-sy-busy", "1"); }
    else { el.removeAttribute("aria-busy"); el.removeAttribute("data-sy-busy"); }
  }

  /* Fetch an export and save it; a refusal or failure shows the server's Thai/English message. */
  function fetchAndSave(url, options, fallbackName, expectType, el) {
    if (el.getAttribute("data-sy-busy")) { return Promise.resolve(); }
    busy(el, true);
    return fetch(url, Object.assign({credentials: "same-origin"}, options || {}))
      .then(function (resp) {
        var type = resp.headers.get("Content-Type") || "";
        if (resp.ok && type.indexOf(expectType) === 0) {
          return resp.blob().then(function (b) { saveBlob(b, fileName(resp, fallbackName)); });
        }
        if (resp.redirected && /\/login/.test(resp.url)) {
          throw new Error(say("กรุณาเข้าสู่ระบบก่อนส่งออกไฟล์", "Please sign in to export"));
        }
        return resp.text().then(function (t) {
          throw new Error(t.trim().slice(0, 400) || ("HTTP " + resp.status));
        });
      })
      .catch(function (err) { window.alert(say("ส่งออกไฟล์ไม่สำเร็จ\n", "The export failed\n") + err.message); })
      .then(function () { busy(el, false); });
  }

  /* ------------------------------------------------------------------ charts */
  var fontCssPromise = null;

  /* The app's @font-face rules for Sarabun, with the woff2 files inlined as data: URIs. */
  function fontCss() {
    if (fontCssPromise) { return fontCssPromise; }
    var link = document.querySelector('link[href*="sanyan.css"]');
    var base = link ? link.href : location.origin + "/assets/sanyan.css";
    var thai = "U+02D7, U+0303, U+0331, U+0E01-0E5B, U+200C-200D, U+25CC";
    var latin = "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, " +
                "U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD";
    var faces = [["thai", 400, thai], ["thai", 700, thai], ["latin", 400, latin], ["latin", 700, latin]];
    fontCssPromise = Promise.all(faces.map(function (f) {
      var url = new URL("vendor/sarabun/sarabun-" + f[0] + "-" + f[1] + "-normal.woff2", base).href;
      return fetch(url).then(function (r) {
        if (!r.ok) { throw new Error("font " + r.status); }
        return r.blob();
      }).then(function (blob) {
        return new Promise(function (resolve, reject) {
          var fr = new FileReader();
          fr.onload = function () {
            var data = String(fr.result).replace(/^data:[^;,]*/, "data:font/woff2");
            resolve("@font-face{font-family:'Sarabun';font-style:normal;font-weight:" + f[1] +
                    ";src:url(" + data + ") format('woff2');unicode-range:" + f[2] + ";}");
          };
          fr.onerror = reject;
          fr.readAsDataURL(blob);
        });
      });
    })).then(function (rules) { return rules.join(""); });
    fontCssPromise.catch(function () { fontCssPromise = null; });
    return fontCssPromise;
  }

  function svgWithFont(gd, w, h) {
    return Promise.all([window.Plotly.toImage(gd, {format: "svg", width: w, height: h}), fontCss()])
      .then(function (got) {
        var url = got[0], i = url.indexOf(",");
        var head = url.slice(0, i);
        var svg = /;base64$/.test(head) ? atob(url.slice(i + 1)) : decodeURIComponent(url.slice(i + 1));
        var style = "<style>" + got[1] + "</style>";
        if (!/<svg[^>]*>/.test(svg)) { throw new Error("no svg"); }
        return svg.replace(/<svg[^>]*>/, function (m) { return m + style; });
      });
  }

  function pngFromSvg(svg, w, h, scale) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(new Blob([svg], {type: "image/svg+xml"}));
      var img = new Image();
      img.onload = function () {
        /* the SVG image's own fonts are data: URIs; give its text a moment to settle */
        setTimeout(function () {
          try {
            var c = document.createElement("canvas");
            c.width = Math.round(w * scale);
            c.height = Math.round(h * scale);
            var ctx = c.getContext("2d");
            ctx.fillStyle = "#ffffff";
            ctx.fillRect(0, 0, c.width, c.height);
            ctx.drawImage(img, 0, 0, c.width, c.height);
            URL.revokeObjectURL(url);
            c.toBlob(function (b) { if (b) { resolve(b); } else { reject(new Error("png")); } }, "image/png");
          } catch (e) { URL.revokeObjectURL(url); reject(e); }
        }, 50);
      };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("svg image")); };
      img.src = url;
    });
  }

  function exportChart(btn, fmt) {
    var id = btn.getAttribute("data-sy-graph");
    var holder = id && document.getElementById(id);
    var gd = holder && (holder.classList.contains("js-plotly-plot") ? holder : holder.querySelector(".js-plotly-plot"));
    if (!gd || !window.Plotly) {
      window.alert(say("กราฟยังไม่พร้อม ลองอีกครั้ง", "The chart is not ready yet; try again"));
      return;
    }
    var full = gd._fullLayout || {};
    var w = Math.max(Math.round(full.width || 900), 900);
    var h = Math.round(full.height || 400);
    var name = pageSlug() + "_" + id;
    if (btn.getAttribute("data-sy-busy")) { return; }
    busy(btn, true);
    svgWithFont(gd, w, h)
      .then(function (svg) {
        if (fmt === "svg") { return new Blob([svg], {type: "image/svg+xml;charset=utf-8"}); }
        return pngFromSvg(svg, w, h, 2);
      })
      .then(function (blob) { saveBlob(blob, name + "." + fmt); })
      .catch(function () {
        /* without the inlined font: Plotly's own download */
        return window.Plotly.downloadImage(gd, {format: fmt, filename: name, width: w, height: h});
      })
      .catch(function (err) { window.alert(say("ส่งออกกราฟไม่สำเร็จ: ", "The chart export failed: ") + err); })
      .then(function () { busy(btn, false); });
  }

  /* ------------------------------------------------------------------ tables */
  function cellText(cell) {
    return (cell.textContent || "").replace(/\s+/g, " ").trim();
  }

  function rowCells(tr) {
    var out = [];
    Array.prototype.forEach.call(tr.children, function (cell) {
      if (!/^(TD|TH)$/.test(cell.tagName)) { return; }
      out.push(cellText(cell));
      var span = parseInt(cell.getAttribute("colspan") || "1", 10);
      for (var k = 1; k < span && k < 50; k++) { out.push(""); }
    });
    return out;
  }

  // the heading before the table, and its caption (the sample mark, "⚠ ข้อมูลตัวอย่าง") after it
  function tableTitle(table) {
    var cap = table.querySelector("caption");
    var heads = document.querySelectorAll("h1, h2");
    var best = null;
    for (var i = 0; i < heads.length; i++) {
      if (heads[i].compareDocumentPosition(table) & Node.DOCUMENT_POSITION_FOLLOWING) { best = heads[i]; }
    }
    var title = (best && cellText(best)) || document.title || "Sanyan";
    return cap && cellText(cap) ? title + " · " + cellText(cap) : title;
  }

  function tableData(table) {
    var header = [];
    var headRows = table.tHead ? table.tHead.rows : [];
    if (headRows.length) { header = rowCells(headRows[headRows.length - 1]); }
    var rows = [];
    var bodies = table.tBodies.length ? table.tBodies : [table];
    Array.prototype.forEach.call(bodies, function (tb) {
      Array.prototype.forEach.call(tb.rows, function (tr) {
        if (tr.parentNode === table.tHead) { return; }
        var cells = rowCells(tr);
        if (!header.length && !rows.length && tr.querySelector("th") && !tr.querySelector("td")) {
          header = cells;
        } else if (cells.length) {
          rows.push(cells);
        }
      });
    });
    return {title: tableTitle(table), header: header, rows: rows};
  }

  function exportTable(btn) {
    var table = btn._syTable;
    if (!table || !document.contains(table)) { return; }
    var body = JSON.stringify(tableData(table));
    fetchAndSave("/export/table.xlsx", {method: "POST", headers: {"Content-Type": "application/json"}, body: body},
                 "sanyan-table.xlsx", "application/vnd.openxmlformats", btn);
  }

  function anchorOf(table) {
    var p = table.parentElement;
    return p && p.classList.contains("table-responsive") && p.children.length === 1 ? p : table;
  }

  function tableButtons() {
    /* drop buttons whose table is gone or moved */
    document.querySelectorAll("button.sy-table-export").forEach(function (b) {
      var t = b._syTable;
      if (!t || !document.contains(t) || anchorOf(t).nextElementSibling !== b) {
        if (t) { t._syExportButton = null; }
        b.remove();
      }
    });
    document.querySelectorAll("table.sy-table").forEach(function (table) {
      if (table._syExportButton && document.contains(table._syExportButton)) { return; }
      var anchor = anchorOf(table);
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sy-export-btn sy-table-export";
      var label = tableTitle(table);
      var name = say("ดาวน์โหลดตาราง " + label + " เป็น Excel", "Download the table " + label + " as Excel");
      b.setAttribute("aria-label", name);
      b.title = name;
      b.setAttribute("data-sy-export", "xlsx");
      b.innerHTML = '<span aria-hidden="true">↓</span> Excel';
      b._syTable = table;
      table._syExportButton = b;
      anchor.insertAdjacentElement("afterend", b);
    });
  }

  var pending = false;
  function schedule() {
    if (pending) { return; }
    pending = true;
    (window.requestAnimationFrame || setTimeout)(function () { pending = false; tableButtons(); });
  }

  function observe() {
    tableButtons();
    new MutationObserver(function (records) {
      for (var i = 0; i < records.length; i++) {
        var r = records[i];
        /* a chart redrawing itself (hover, zoom) never adds a table */
        if (r.target.nodeType === 1 && r.target.closest && r.target.closest(".js-plotly-plot")) { continue; }
        /* our own insertions alone do not need another pass */
        var ours = Array.prototype.every.call(r.addedNodes, function (n) {
          return n.nodeType === 1 && n.classList.contains("sy-table-export");
        }) && Array.prototype.every.call(r.removedNodes, function (n) {
          return n.nodeType === 1 && n.classList.contains("sy-table-export");
        });
        if (!ours) { schedule(); return; }
      }
    }).observe(document.body, {childList: true, subtree: true});
  }

  /* ------------------------------------------------------------------ pages */
  function pdfHref() {
    return "/export/pdf?path=" + encodeURIComponent(location.pathname + location.search);
  }

  document.addEventListener("click", function (ev) {
    var el = ev.target.closest && ev.target.closest("[data-sy-export], #shell-export-pdf");
    if (!el) { return; }
    if (el.id === "shell-export-pdf") {
      el.setAttribute("href", pdfHref());
      if (ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey) { return; }   /* new tab: the link */
      ev.preventDefault();
      fetchAndSave(pdfHref(), null, "sanyan-" + pageSlug() + ".pdf", "application/pdf", el);
      return;
    }
    var kind = el.getAttribute("data-sy-export");
    if (kind === "png" || kind === "svg") { ev.preventDefault(); exportChart(el, kind); }
    else if (kind === "xlsx") { ev.preventDefault(); exportTable(el); }
  });
  /* a middle click or "open in new tab" gets the current page too */
  ["auxclick", "contextmenu", "focusin", "mouseover"].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      var el = ev.target.closest && ev.target.closest("#shell-export-pdf");
      if (el) { el.setAttribute("href", pdfHref()); }
    });
  });

  if (document.body) { observe(); } else { document.addEventListener("DOMContentLoaded", observe); }
})();
