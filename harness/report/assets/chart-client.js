// Browser side of every report page (report.html, the combined report, the trend index and
// capacity-report.html): draws the charts with uPlot (inlined before this script) from the JSON in
// <script id="chart-data">. A plain script (no imports, no build step) so a page works from file://
// with no network. Each chart's host element (#chart-<id>) is rendered by the page itself.
//
// Shared by all pages: horizontal limit lines (SLOs, memory limits), vertical marks (timeline actions,
// faults, alerts, a break) with their labels placed so they never overlap, and zoom: drag across a
// chart to zoom to a range (every chart of the same group follows), double-click to reset.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('chart-data').textContent);
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
  var markStyle = {
    action: { color: '#374151', dash: [5, 4] },
    'action-failed': { color: '#b91c1c', dash: [5, 4] },
    fault: { color: '#7c3aed', dash: [2, 3] },
    alert: { color: '#c2410c', dash: [] },
    phase: { color: '#9ca3af', dash: [1, 3] },
    break: { color: '#b91c1c', dash: [] },
  };
  var LABEL_ROWS = 3;
  var ROW_PX = 14;

  // A plugin that draws over the plot after uPlot has drawn it, in canvas pixels (px per CSS pixel).
  function overPlot(draw) {
    return {
      hooks: {
        draw: [
          function (u) {
            var ctx = u.ctx;
            ctx.save();
            ctx.font = 11 * (window.devicePixelRatio || 1) + 'px system-ui, sans-serif';
            draw(u, ctx, window.devicePixelRatio || 1, u.bbox);
            ctx.restore();
          },
        ],
      },
    };
  }

  function linesPlugin(lines) {
    return overPlot(function (u, ctx, px, b) {
      ctx.textAlign = 'right';
      ctx.textBaseline = 'bottom';
      lines.forEach(function (l) {
        var y = Math.round(u.valToPos(l.value, l.scale || 'y', true));
        if (y < b.top || y > b.top + b.height) return;
        ctx.strokeStyle = l.color || '#b91c1c';
        ctx.lineWidth = 1 * px;
        ctx.setLineDash([6 * px, 4 * px]);
        ctx.beginPath();
        ctx.moveTo(b.left, y);
        ctx.lineTo(b.left + b.width, y);
        ctx.stroke();
        ctx.fillStyle = l.color || '#b91c1c';
        ctx.fillText(l.label, b.left + b.width - 4 * px, y - 2 * px);
      });
    });
  }

  // Where each mark's label goes, in CSS pixels. Numbered marks show their number (the legend beside
  // the charts has the words); marks are taken in time order and each takes the first of LABEL_ROWS
  // rows where it clears the labels already there. When none is free, it joins the previous label as a
  // range ("4–9"): consecutive numbers, so the range reads right and nothing is drawn twice.
  function placeLabels(ctx, px, marks, xOf, left, right) {
    var rowEnds = [];
    for (var r = 0; r < LABEL_ROWS; r++) rowEnds.push(-Infinity);
    var placed = [];
    var gap = 4;
    marks.forEach(function (m) {
      var x = xOf(m);
      if (x < left || x > right) return;
      var text = m.n ? String(m.n) : m.label;
      var w = ctx.measureText(text).width / px + 6;
      // A label at the right edge is drawn to the left of its line, so it stays on the canvas.
      var lx = Math.min(x, right - w);
      var row = -1;
      for (var i = 0; i < LABEL_ROWS; i++) {
        if (rowEnds[i] + gap <= lx) { row = i; break; }
      }
      var last = placed[placed.length - 1];
      if (row === -1 && last && m.n && last.first) {
        last.text = last.first + '–' + m.n;
        last.w = ctx.measureText(last.text).width / px + 6;
        rowEnds[last.row] = last.x + last.w;
        last.marks.push(m);
        return;
      }
      if (row === -1) row = LABEL_ROWS - 1;
      var label = { x: lx, row: row, text: text, w: w, first: m.n || null, kind: m.kind, marks: [m] };
      rowEnds[row] = lx + w;
      placed.push(label);
    });
    return placed;
  }

  function marksPlugin(marks, host) {
    return overPlot(function (u, ctx, px, b) {
      marks.forEach(function (m) {
        var x = Math.round(u.valToPos(m.x, 'x', true));
        if (x < b.left || x > b.left + b.width) return;
        var style = markStyle[m.kind] || markStyle.action;
        ctx.strokeStyle = style.color;
        ctx.lineWidth = 1.5 * px;
        ctx.setLineDash(style.dash.map(function (d) { return d * px; }));
        ctx.beginPath();
        ctx.moveTo(x, b.top);
        ctx.lineTo(x, b.top + b.height);
        ctx.stroke();
      });
      var labels = placeLabels(ctx, px, marks, function (m) { return u.valToPos(m.x, 'x', true) / px; }, b.left / px, (b.left + b.width) / px);
      ctx.setLineDash([]);
      ctx.textAlign = 'left';
      ctx.textBaseline = 'alphabetic';
      labels.forEach(function (l) {
        var style = markStyle[l.kind] || markStyle.action;
        var yTop = b.top / px - 4 - l.row * ROW_PX - 11;
        ctx.fillStyle = '#fff';
        ctx.fillRect(l.x * px, yTop * px, l.w * px, 12 * px);
        ctx.strokeStyle = style.color;
        ctx.lineWidth = 1 * px;
        ctx.strokeRect((l.x + 0.5) * px, yTop * px, (l.w - 1) * px, 12 * px);
        ctx.fillStyle = style.color;
        ctx.fillText(l.text, (l.x + 3) * px, (yTop + 10) * px);
        l.y = yTop;
      });
      // For tests and for a reader's devtools: the boxes as drawn, in CSS pixels.
      host.setAttribute('data-labels', JSON.stringify(labels.map(function (l) { return { text: l.text, x: Math.round(l.x * 10) / 10, y: Math.round(l.y * 10) / 10, w: Math.round(l.w * 10) / 10, h: 12 }; })));
    });
  }

  function range(lines, scale, pad) {
    return function (u, min, max) {
      lines.forEach(function (l) { if ((l.scale || 'y') === scale) max = Math.max(max, l.value * pad); });
      if (min === null || max === null) return [0, 1];
      return [Math.min(0, min), max > 0 ? max : 1];
    };
  }

  function seriesOpts(s, i) {
    var colour = s.color || palette[i % palette.length];
    var base = { label: s.label, scale: s.scale || 'y', stroke: colour, spanGaps: !!s.spanGaps };
    if (s.style === 'points' || s.style === 'hollow') {
      base.width = 0;
      base.paths = function () { return null; };
      base.points = { show: true, size: 6, width: 1.5, stroke: colour, fill: s.style === 'hollow' ? '#fff' : colour };
      return base;
    }
    base.width = s.width || 2;
    base.points = { show: false };
    if (s.dash) base.dash = [6, 4];
    return base;
  }

  var groups = {};
  var syncing = false;
  function follow(group, u) {
    if (syncing) return;
    var xs = u.scales.x;
    u.root.parentNode.setAttribute('data-x-range', [xs.min, xs.max].map(function (v) { return Math.round(v * 100) / 100; }).join(','));
    if (!group) return;
    syncing = true;
    groups[group].forEach(function (other) {
      if (other !== u) other.setScale('x', { min: xs.min, max: xs.max });
    });
    syncing = false;
  }

  var drawn = 0;
  data.groups.forEach(function (g) {
    if (g.sync) groups[g.sync] = [];
    g.charts.forEach(function (chart) {
      var host = document.getElementById('chart-' + chart.id);
      if (!host) return;
      var lines = chart.lines || [];
      var marks = chart.marks || [];
      var scales = { x: { time: false }, y: { range: range(lines, 'y', 1.1) } };
      var axes = [{ label: chart.xLabel }, { label: chart.yLabel, size: 64 }];
      if (chart.y2Label) {
        scales.y2 = { range: range(lines, 'y2', 1.05) };
        axes.push({ label: chart.y2Label, scale: 'y2', side: 1, size: 64, grid: { show: false } });
      }
      var u = new uPlot(
        {
          width: Math.max(560, host.clientWidth - 8),
          height: chart.height || 260,
          padding: [marks.length ? LABEL_ROWS * ROW_PX + 8 : 12, 16, 0, 0],
          scales: scales,
          axes: axes,
          series: [{ label: chart.xLabel }].concat(chart.series.map(seriesOpts)),
          legend: { live: false },
          cursor: { drag: { x: true, y: false, setScale: true }, sync: g.sync ? { key: g.sync } : undefined },
          hooks: { setScale: [function (u, key) { if (key === 'x') follow(g.sync, u); }] },
          plugins: [linesPlugin(lines), marksPlugin(marks, host)],
        },
        [chart.x].concat(chart.series.map(function (s) { return s.values; })),
        host,
      );
      if (g.sync) groups[g.sync].push(u);
      drawn++;
    });
  });
  document.body.setAttribute('data-rendered', String(drawn));
})();
