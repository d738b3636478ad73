// Charts (Plotly) and the status table. Progressive enhancement: every page reads fine without it.
// No server needed: chart data is inline JSON, or a script-loaded global for the roadmap timeline.
// Data shapes: docs/timeline.md and docs/dashboards.md.
(function () {
  "use strict";
  if (window.performance && window.performance.mark) { window.performance.mark("roadmapgen-charts-start"); }

  // -- helpers ---------------------------------------------------------------------------
  function clone(value) { return JSON.parse(JSON.stringify(value)); }

  function specOf(el) {
    if (el.dataset.global) { return window[el.dataset.global] || null; }
    var node = document.getElementById(el.dataset.source);
    return node ? JSON.parse(node.textContent) : null;
  }

  // A site path from chart data (customdata), made relative to this page.
  function resolve(el, path) {
    return new URL((el.dataset.root || "") + path, window.location.href).href;
  }

  function themed(layout, el) {
    var style = window.getComputedStyle(el);
    layout.font = Object.assign({ family: style.fontFamily, color: style.color }, layout.font || {});
    (layout.annotations || []).forEach(function (a) { delete a.bgcolor; });
    if (layout.legend) { layout.legend.bgcolor = "rgba(0,0,0,0)"; }
    return narrow(layout, el);
  }

  // On a phone the Gantt's row labels would take the whole width: cap their margin to a share of
  // the chart (the labels are cut; the hover has the full title) and use a smaller font. The legend
  // is left to the text key under the chart, and the room above the chart it took goes with it.
  function narrow(layout, el) {
    var width = el.clientWidth || window.innerWidth;
    if (!layout.margin || width >= 640) { return layout; }
    var cap = Math.round(width * 0.4);
    if ((layout.margin.l || 0) > cap) {
      layout.margin = Object.assign({}, layout.margin, { l: cap });
      layout.font = Object.assign({}, layout.font, { size: 10 });
    }
    var gantt = Boolean(layout.xaxis && layout.xaxis.rangeselector);
    if (gantt && layout.showlegend) {
      var saved = Math.max(0, (layout.margin.t || 0) - PHONE_TOP);
      layout.showlegend = false;
      layout.margin = Object.assign({}, layout.margin, { t: PHONE_TOP });
      layout.height -= saved;
    }
    return layout;
  }
  var PHONE_TOP = 46;  // pixels above a Gantt without legend: the range buttons, and "Today" above them

  function drawn(el) {
    el.classList.add("is-drawn");
    if (!el.hasAttribute("data-drawn")) {
      el.setAttribute("data-drawn", String(Math.round(window.performance.now())));
    }
  }

  function onClick(el) {
    el.on("plotly_click", function (event) {
      var point = event && event.points && event.points[0];
      var path = point && point.customdata;
      if (typeof path !== "string" || !path) { return; }
      var href = resolve(el, path);
      el.setAttribute("data-last-target", href);
      if (!el.hasAttribute("data-no-navigate")) { window.location.href = href; }
    });
  }

  // -- simple charts (history, burn-up, metric) ---------------------------------------------
  function drawLines(el, spec) {
    var figure = clone(spec.figure);
    return window.Plotly.newPlot(el, figure.data, themed(figure.layout, el), spec.config).then(function () {
      drawn(el);
    });
  }

  // -- the Gantt timeline --------------------------------------------------------------------
  // spec.figure holds every row; spec.rows[i] describes row i (y = i) and spec.points[t][k] names the
  // row of point k of trace t (-1 separates the segments of a line trace). Filtering keeps the points
  // whose rows are shown, renumbers y, and re-plots.
  function Gantt(el, spec) {
    this.el = el;
    this.spec = spec;
    this.state = { goal: "", owner: "", rag: "", expand: !spec.collapsed };
    this.count = 0;
    this.top = 0;
    this.visibleRows = null;
    this.drawnSlice = null;
    this.rendering = false;
    this.pendingSelector = null;
  }

  Gantt.prototype.visible = function () {
    var rows = this.spec.rows, st = this.state, n = rows.length, show = new Array(n), i, row;
    var filtering = Boolean(st.owner || st.rag);
    for (i = 0; i < n; i++) {
      row = rows[i];
      show[i] = false;
      if (row.kind === "checkins") { show[i] = true; continue; }
      if (st.goal && row.goal !== st.goal) { continue; }
      var expanded = st.expand || Boolean(st.goal);
      if (row.kind === "activity" && !expanded) { continue; }
      var leaf = row.kind === "activity" || (row.kind === "strategy" && !expanded);
      if (!filtering) { show[i] = true; continue; }
      if (leaf && (!st.owner || row.owner === st.owner) && (!st.rag || row.rag === st.rag)) { show[i] = true; }
    }
    if (filtering) {
      for (i = 0; i < n; i++) {
        if (show[i] && rows[i].kind !== "checkins") {
          var p = rows[i].parent;
          while (p !== null && p !== undefined && !show[p]) { show[p] = true; p = rows[p].parent; }
        }
      }
    }
    var out = [];
    for (i = 0; i < n; i++) { if (show[i]) { out.push(i); } }
    return out;
  };

  function pickArrays(source, keep, n) {
    var out = {};
    Object.keys(source).forEach(function (key) {
      var value = source[key];
      if (Array.isArray(value) && value.length === n) {
        out[key] = keep.map(function (k) { return value[k]; });
      } else if (value && typeof value === "object" && !Array.isArray(value)) {
        out[key] = pickArrays(value, keep, n);
      } else {
        out[key] = value;
      }
    });
    return out;
  }

  // A point's row is a row index, or [a, b] for a point shown only when both rows are (an arrowhead);
  // its y follows the last.
  function last(row) { return Array.isArray(row) ? row[row.length - 1] : row; }

  // Above spec.virtualAbove rows only the rows near the view (the window plus a buffer each side)
  // are drawn; scrolling past the buffer re-plots the next slice. y stays the row's position in the
  // whole filtered list, so the axis range and the ticks do not jump.
  Gantt.prototype.slice = function () {
    var m = this.visibleRows.length, win = Math.min(m, this.spec.window), buffer = this.spec.buffer;
    this.top = Math.max(0, Math.min(this.top, m - win));
    if (m <= this.spec.virtualAbove) { return [0, m]; }
    return [Math.max(0, this.top - buffer), Math.min(m, this.top + win + buffer)];
  };

  Gantt.prototype.figure = function () {
    var spec = this.spec, visible = this.visibleRows, index = new Array(spec.rows.length).fill(-1);
    var fg = window.getComputedStyle(this.el).color;
    visible.forEach(function (r, i) { index[r] = i; });
    var range = this.slice(), lo = range[0], hi = range[1];
    this.drawnSlice = range;
    var near = function (r) { return index[r] >= lo && index[r] < hi; };
    var keepPoint = function (row) {
      if (Array.isArray(row)) {
        return row.every(function (r) { return index[r] >= 0; }) && row.some(near);
      }
      return index[row] >= 0 && near(row);
    };
    var data = spec.figure.data.map(function (trace, t) {
      var rowsOf = spec.points[t], n = rowsOf.length, keep = [], k;
      if (trace.mode === "lines" || trace.mode === "lines+markers") {
        var segment = [], ok = true, any = false;
        for (k = 0; k < n; k++) {
          if (rowsOf[k] === -1) {
            if (ok && any && segment.length) { keep.push.apply(keep, segment); keep.push(k); }
            segment = []; ok = true; any = false;
          } else {
            segment.push(k);
            if (index[rowsOf[k]] < 0) { ok = false; } else if (near(rowsOf[k])) { any = true; }
          }
        }
      } else {
        for (k = 0; k < n; k++) { if (keepPoint(rowsOf[k])) { keep.push(k); } }
      }
      var out = pickArrays(trace, keep, n);
      if (out.marker && out.marker.line && out.marker.line.color === spec.outline) {
        out.marker.line = Object.assign({}, out.marker.line, { color: fg });
      }
      if (Array.isArray(trace.y) && trace.y.length === n) {
        out.y = keep.map(function (j) {
          var y = trace.y[j], r = last(rowsOf[j]);
          return (y === null || r < 0) ? null : y - r + index[r];
        });
      }
      return out;
    });
    var layout = clone(spec.figure.layout);
    var m = visible.length, win = Math.min(m, spec.window), ticks = [];
    for (var i = lo; i < hi; i++) { ticks.push(i); }
    layout.yaxis.tickvals = ticks;
    layout.yaxis.ticktext = ticks.map(function (i) { return spec.rows[visible[i]].label; });
    layout.yaxis.range = [this.top + win - 0.5, this.top - 0.5];
    layout.yaxis.fixedrange = m <= win;
    var geometry = spec.geometry;  // the heights, from gantt.py: no formula repeated here
    layout.height = geometry.frame + win * geometry.row + geometry.rangeslider;
    var current = this.el.layout && this.el.layout.xaxis && this.el.layout.xaxis.range;
    if (current) { layout.xaxis.range = current.slice(); layout.xaxis.autorange = false; }
    this.count = m;
    return { data: data, layout: themed(layout, this.el) };
  };

  Gantt.prototype.render = function (refilter) {
    if (refilter || !this.visibleRows) { this.visibleRows = this.visible(); }
    var fig = this.figure(), el = this.el, self = this;
    var first = !el.classList.contains("js-plotly-plot");
    var call = first ? window.Plotly.newPlot : window.Plotly.react;
    el.style.minHeight = fig.layout.height + "px";
    this.rendering = true;
    return call(el, fig.data, fig.layout, this.spec.config).then(function () {
      self.rendering = false;
      drawn(el);
      if (first) { self.wire(); }
      self.report(self.visibleRows);
    });
  };

  // Has the view come near the edge of the drawn slice (so the next rows must be drawn)?
  Gantt.prototype.needsSlice = function () {
    var range = this.drawnSlice, m = this.count, win = Math.min(m, this.spec.window), edge = this.spec.buffer / 2;
    if (!range || m <= this.spec.virtualAbove) { return false; }
    return (range[0] > 0 && this.top < range[0] + edge) || (range[1] < m && this.top + win > range[1] - edge);
  };

  Gantt.prototype.report = function (visible) {
    var rows = this.spec.rows, acts = 0, groups = 0, all = 0;
    rows.forEach(function (r) { if (r.kind === "activity") { all++; } });
    visible.forEach(function (i) {
      if (rows[i].kind === "activity") { acts++; } else if (rows[i].kind !== "checkins") { groups++; }
    });
    this.el.setAttribute("data-rows", String(visible.length));
    var form = document.querySelector('.chart-filters[data-chart="' + this.el.id + '"]');
    var out = form && form.querySelector(".chart-count");
    if (out) {
      out.textContent = "Showing " + acts + " of " + all + " activities" + (acts ? "" : " (" + groups + " goals and strategies)") +
        (visible.length > this.spec.window ? "; scroll over the chart or drag it to see more rows" : "") + ".";
    }
  };

  Gantt.prototype.scrollRows = function (delta) {
    var m = this.count, win = Math.min(m, this.spec.window);
    var top = Math.max(0, Math.min(this.top + delta, m - win));
    if (top === this.top) { return false; }
    this.top = top;
    if (this.needsSlice()) { this.render(false); return true; }
    window.Plotly.relayout(this.el, { "yaxis.range": [top + win - 0.5, top - 0.5] });
    return true;
  };

  // Plotly shrinks bar text that does not fit; below 80% it is unreadable, so hide it (the hover has it).
  function hideSmallText(el) {
    Array.prototype.forEach.call(el.querySelectorAll(".cartesianlayer .bartext"), function (text) {
      var scale = /scale\(([\d.e-]+)/.exec(text.getAttribute("transform") || "");
      if (scale && parseFloat(scale[1]) < 0.8) { text.style.display = "none"; }
    });
  }

  // Row labels start at the chart's left edge, indented by their depth (goal → strategy → activity),
  // and are clipped where the plot begins: Plotly only right-aligns tick labels, which hides the
  // nesting and, on a narrow chart, cuts long labels off at the left.
  Gantt.prototype.alignLabels = function () {
    var el = this.el, spec = this.spec, visible = this.visibleRows, geometry = spec.geometry;
    var size = el._fullLayout && el._fullLayout._size, layer = el.querySelector(".yaxislayer-above");
    if (!size || !visible || !layer) { return; }
    Array.prototype.forEach.call(layer.querySelectorAll(".ytick text"), function (text) {
      var datum = text.__data__, row = datum && spec.rows[visible[Math.round(datum.x)]];
      if (!row) { return; }
      var x = geometry.labelPad + (row.depth || 0) * geometry.labelIndent;
      text.setAttribute("text-anchor", "start");
      text.setAttribute("x", String(x));
      fitLabel(text, size.l - 4 - x);
    });
    var svg = el.querySelector("svg.main-svg"), id = el.id + "-row-labels";
    var clip = svg && svg.querySelector("#" + id);
    if (svg && !clip) {
      var ns = "http://www.w3.org/2000/svg";
      clip = document.createElementNS(ns, "clipPath");
      clip.setAttribute("id", id);
      clip.appendChild(document.createElementNS(ns, "rect"));
      (svg.querySelector("defs") || svg).appendChild(clip);
    }
    if (!clip) { return; }
    var rect = clip.firstChild;
    rect.setAttribute("x", "0");
    rect.setAttribute("y", "0");
    rect.setAttribute("width", String(Math.max(0, size.l - 4)));
    rect.setAttribute("height", String(el._fullLayout.height));
    layer.setAttribute("clip-path", "url(#" + id + ")");
  };

  // A label wider than `width` pixels keeps the characters that fit, then "…" (the hover has the
  // full title); the clip in alignLabels stays as a fallback.
  function fitLabel(text, width) {
    if (!(width > 0) || text.getComputedTextLength() <= width) { return; }
    var lo = 0, hi = text.getNumberOfChars(), room = width - 10, mid;
    while (lo < hi) {
      mid = (lo + hi + 1) >> 1;
      if (text.getSubStringLength(0, mid) <= room) { lo = mid; } else { hi = mid - 1; }
    }
    var left = lo, walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT), node, done = false;
    while ((node = walker.nextNode())) {
      if (done) { node.data = ""; continue; }
      if (left >= node.data.length) { left -= node.data.length; continue; }
      node.data = node.data.slice(0, left).replace(/\s+$/, "") + "\u2026";
      done = true;
    }
  }

  // "Today <date>" sits above the today line, level with the range buttons: where the two meet
  // (a narrow chart, or today near the left edge) lift the label above the buttons.
  Gantt.prototype.clearToday = function () {
    var el = this.el, annotations = (el.layout && el.layout.annotations) || [];
    var i = annotations.findIndex(function (a) { return a.name === "today"; });
    var label = el.querySelector('.annotation[data-index="' + i + '"]'), buttons = el.querySelector(".rangeselector");
    if (i < 0 || !label || !buttons) { return; }
    var a = label.getBoundingClientRect(), b = buttons.getBoundingClientRect();
    var meet = a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    if (meet && !annotations[i].yshift) {
      var update = {};
      update["annotations[" + i + "].yshift"] = Math.ceil(b.height) + 2;
      window.Plotly.relayout(el, update);
    }
  };

  // Plotly draws a legend swatch with the outline of the trace's first point, which may be a
  // critical path's thick one: a swatch shows the plain mark (the thinnest outline of its trace).
  function plainSwatches(el) {
    Array.prototype.forEach.call(el.querySelectorAll(".legend .traces"), function (entry) {
      var trace = entry.__data__ && entry.__data__[0] && entry.__data__[0].trace;
      var widths = trace && trace.marker && trace.marker.line && trace.marker.line.width;
      if (!Array.isArray(widths) || !widths.length) { return; }
      var thinnest = Math.min.apply(null, widths);
      Array.prototype.forEach.call(entry.querySelectorAll(".legendpoints path"), function (path) {
        path.style.strokeWidth = thinnest + "px";
      });
    });
  }

  Gantt.prototype.wire = function () {
    var el = this.el, self = this, spec = this.spec;
    onClick(el);
    hideSmallText(el);
    self.alignLabels();
    self.clearToday();
    plainSwatches(el);
    el.on("plotly_afterplot", function () { hideSmallText(el); self.alignLabels(); self.clearToday(); plainSwatches(el); });
    // the rangeselector counts back from the right edge; ours centres the span on today
    el.addEventListener("click", function (event) {
      var button = event.target.closest && event.target.closest(".rangeselector .button");
      if (button) { self.pendingSelector = button.textContent || "x"; }
    }, true);
    el.on("plotly_relayout", function (update) {
      var y = update && (update["yaxis.range"] || (update["yaxis.range[0]"] !== undefined &&
        [update["yaxis.range[0]"], update["yaxis.range[1]"]]));
      if (y && !self.rendering) {  // dragged (or scrolled): remember where, draw the next slice if needed
        var win = Math.min(self.count, spec.window);
        self.top = Math.max(0, Math.min(Math.round(Math.min(y[0], y[1]) + 0.5), self.count - win));
        if (self.needsSlice()) { self.render(false); }
      }
      if (!self.pendingSelector) { return; }
      var label = self.pendingSelector;
      self.pendingSelector = null;
      if (label === "all") { return; }
      var range = el.layout.xaxis.range, start = new Date(range[0]), end = new Date(range[1]);
      var width = end - start, today = new Date(spec.today + "T12:00:00");
      if (!(width > 0)) { return; }
      var a = new Date(today.getTime() - width * 0.3), b = new Date(today.getTime() + width * 0.7);
      window.Plotly.relayout(el, { "xaxis.range": [a.toISOString().slice(0, 10), b.toISOString().slice(0, 10)] });
    });
    var pending = 0;
    el.addEventListener("wheel", function (event) {
      if (self.count <= spec.window || event.ctrlKey || Math.abs(event.deltaY) < Math.abs(event.deltaX)) { return; }
      var inPlot = event.target.closest && event.target.closest(".nsewdrag, .plot, .yaxislayer-above, .draglayer");
      if (!inPlot) { return; }
      var step = event.deltaY > 0 ? 3 : -3;
      var win = Math.min(self.count, spec.window);
      if ((step > 0 && self.top >= self.count - win) || (step < 0 && self.top <= 0)) { return; }
      event.preventDefault();
      pending += step;
      window.requestAnimationFrame(function () {
        if (pending) { var d = pending; pending = 0; self.scrollRows(d); }
      });
    }, { passive: false });
    var form = document.querySelector('.chart-filters[data-chart="' + el.id + '"]');
    if (form) {
      form.hidden = false;
      var read = function () {
        self.state.goal = form.elements.goal ? form.elements.goal.value : "";
        self.state.owner = form.elements.owner ? form.elements.owner.value : "";
        self.state.rag = form.elements.rag ? form.elements.rag.value : "";
        self.state.expand = form.elements.expand ? form.elements.expand.checked : !spec.collapsed;
        self.top = 0;
        self.render(true);
      };
      form.addEventListener("change", read);
      form.addEventListener("submit", function (event) { event.preventDefault(); read(); });
      form.addEventListener("reset", function () { window.setTimeout(read, 0); });
    }
  };

  // -- the status table: sort by a column, filter by kind, colour, goal, owner and text -----------
  function StatusTable(table) {
    this.table = table;
    this.body = table.tBodies[0];
    this.rows = Array.prototype.slice.call(this.body.rows);
    this.form = document.querySelector('.status-filters[data-table="' + table.id + '"]');
    this.sortIndex = 0;
    this.sortDir = 1;
  }

  StatusTable.prototype.value = function (row, index, numeric) {
    var cell = row.cells[index];
    var raw = cell ? (cell.getAttribute("data-value") !== null ? cell.getAttribute("data-value") : cell.textContent) : "";
    if (numeric) { var n = parseFloat(raw); return isNaN(n) ? Infinity : n; }
    return raw.trim().toLowerCase();
  };

  StatusTable.prototype.sort = function (index, dir) {
    var self = this, header = this.table.tHead.rows[0].cells[index];
    var numeric = header.getAttribute("data-type") === "number";
    this.sortIndex = index;
    this.sortDir = dir;
    var order = function (row) { return parseInt(row.getAttribute("data-order"), 10); };
    var sorted = this.rows.slice().sort(function (a, b) {
      var x = self.value(a, index, numeric), y = self.value(b, index, numeric);
      if (x < y) { return -dir; }
      if (x > y) { return dir; }
      return order(a) - order(b);
    });
    var fragment = document.createDocumentFragment();
    sorted.forEach(function (row) { fragment.appendChild(row); });
    this.body.appendChild(fragment);
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (th, i) {
      if (!th.hasAttribute("data-sort")) { return; }
      th.setAttribute("aria-sort", i === index ? (dir > 0 ? "ascending" : "descending") : "none");
    });
  };

  StatusTable.prototype.filter = function () {
    var f = this.form ? this.form.elements : {}, shown = 0;
    var q = f.q ? f.q.value.trim().toLowerCase() : "";
    var want = {
      kind: f.kind ? f.kind.value : "", rag: f.rag ? f.rag.value : "",
      goal: f.goal ? f.goal.value : "", owner: f.owner ? f.owner.value : ""
    };
    this.rows.forEach(function (row) {
      var ok = Object.keys(want).every(function (key) {
        return !want[key] || row.getAttribute("data-" + key) === want[key];
      });
      if (ok && q) { ok = row.textContent.toLowerCase().indexOf(q) !== -1; }
      row.hidden = !ok;
      if (ok) { shown++; }
    });
    this.table.setAttribute("data-shown", String(shown));
    var out = this.form && this.form.querySelector(".status-count");
    if (out) { out.textContent = "Showing " + shown + " of " + this.rows.length + " items."; }
  };

  // status.html?kind=activity&rag=red (from the dashboards' links) starts filtered
  StatusTable.prototype.fromQuery = function () {
    var form = this.form, query = window.location.search.slice(1) || window.location.hash.slice(1);
    if (!form || !query) { return; }
    new URLSearchParams(query).forEach(function (value, key) {
      if (form.elements[key]) { form.elements[key].value = value; }
    });
  };

  StatusTable.prototype.wire = function () {
    var self = this;
    Array.prototype.forEach.call(this.table.tHead.rows[0].cells, function (th, index) {
      if (!th.hasAttribute("data-sort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort-button";
      button.textContent = th.textContent;
      button.setAttribute("data-sort", th.getAttribute("data-sort"));
      th.textContent = "";
      th.appendChild(button);
      th.setAttribute("aria-sort", index === 0 ? "ascending" : "none");
      button.addEventListener("click", function () {
        self.sort(index, self.sortIndex === index ? -self.sortDir : 1);
      });
    });
    if (this.form) {
      this.form.hidden = false;
      this.form.addEventListener("input", function () { self.filter(); });
      this.form.addEventListener("change", function () { self.filter(); });
      this.form.addEventListener("submit", function (event) { event.preventDefault(); self.filter(); });
      this.form.addEventListener("reset", function () {
        window.setTimeout(function () { self.sort(0, 1); self.filter(); }, 0);
      });
    }
    this.fromQuery();
    this.filter();
    this.table.classList.add("is-enhanced");
  };

  // -- start -----------------------------------------------------------------------------------
  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.status-table"), function (table) {
      new StatusTable(table).wire();
    });
    if (!window.Plotly) { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".js-chart"), function (el) {
      var spec = specOf(el);
      if (!spec) { return; }
      var fallback = el.querySelector(".chart-fallback");
      if (fallback) { fallback.remove(); }
      if (spec.kind === "gantt") {
        el.roadmapgenChart = new Gantt(el, spec);
        el.roadmapgenChart.render(true);
      } else {
        drawLines(el, spec).then(function () { onClick(el); });
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
