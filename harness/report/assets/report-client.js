// Browser side of report.html: draws the charts with uPlot (inlined above this script) from the JSON
// embedded in the page. Kept as a plain script (no imports, no build step) so the report works from a
// file:// URL with no network. Marks (timeline actions, faults, alert firings) are vertical lines.
(function () {
  'use strict';
  var report = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777', '#4b5563', '#65a30d'];
  var markStyle = {
    action: { color: '#374151', dash: [5, 4] },
    'action-failed': { color: '#b91c1c', dash: [5, 4] },
    fault: { color: '#7c3aed', dash: [2, 3] },
    alert: { color: '#c2410c', dash: [] },
    phase: { color: '#9ca3af', dash: [1, 3] },
  };

  // SLO limits as horizontal lines, so "how far over" is visible without reading the table.
  function linesPlugin(lines) {
    return {
      hooks: {
        draw: [
          function (u) {
            var ctx = u.ctx;
            var pxr = window.devicePixelRatio || 1;
            ctx.save();
            ctx.font = 11 * pxr + 'px system-ui, sans-serif';
            ctx.textAlign = 'right';
            ctx.textBaseline = 'bottom';
            lines.forEach(function (l) {
              var y = Math.round(u.valToPos(l.value, 'y', true));
              if (y < u.bbox.top || y > u.bbox.top + u.bbox.height) return;
              ctx.strokeStyle = '#b91c1c';
              ctx.lineWidth = 1 * pxr;
              ctx.setLineDash([6 * pxr, 4 * pxr]);
              ctx.beginPath();
              ctx.moveTo(u.bbox.left, y);
              ctx.lineTo(u.bbox.left + u.bbox.width, y);
              ctx.stroke();
              ctx.fillStyle = '#b91c1c';
              ctx.fillText(l.label, u.bbox.left + u.bbox.width - 4 * pxr, y - 2 * pxr);
            });
            ctx.restore();
          },
        ],
      },
    };
  }

  function marksPlugin(marks) {
    return {
      hooks: {
        draw: [
          function (u) {
            var ctx = u.ctx;
            var pxr = window.devicePixelRatio || 1;
            var top = u.bbox.top;
            var bottom = u.bbox.top + u.bbox.height;
            ctx.save();
            ctx.font = 11 * pxr + 'px system-ui, sans-serif';
            ctx.textAlign = 'left';
            ctx.textBaseline = 'alphabetic';
            // Labels sit in the padding above the plot, in up to LABEL_ROWS rows: each label takes the
            // first row where it does not overlap an earlier one, so close marks stay readable.
            var rowEnds = [];
            for (var r = 0; r < LABEL_ROWS; r++) rowEnds.push(-Infinity);
            marks.forEach(function (m) {
              var x = Math.round(u.valToPos(m.t, 'x', true));
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
              var style = markStyle[m.kind] || markStyle.action;
              ctx.strokeStyle = style.color;
              ctx.lineWidth = 1.5 * pxr;
              ctx.setLineDash(style.dash.map(function (d) { return d * pxr; }));
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, bottom);
              ctx.stroke();
              var w = ctx.measureText(m.label).width;
              var row = 0;
              while (row < LABEL_ROWS - 1 && rowEnds[row] > x - 2 * pxr) row++;
              rowEnds[row] = x + w + 8 * pxr;
              var y = top - (4 + row * 13) * pxr;
              ctx.setLineDash([]);
              ctx.lineWidth = 1 * pxr;
              ctx.beginPath();
              ctx.moveTo(x, y + 2 * pxr);
              ctx.lineTo(x, top);
              ctx.stroke();
              ctx.fillStyle = style.color;
              ctx.fillText(m.label, x + 3 * pxr, y);
            });
            ctx.restore();
          },
        ],
      },
    };
  }

  var LABEL_ROWS = 3;
  var drawn = 0;
  report.variants.forEach(function (variant) {
    var host = document.getElementById('charts-' + variant.variant);
    if (!host) return;
    var xs = [];
    for (var s = 0; s < variant.durationS; s++) xs.push(s);
    variant.charts.forEach(function (chart) {
      var box = document.createElement('figure');
      box.className = 'chart';
      box.id = 'chart-' + variant.variant + '-' + chart.id;
      var title = document.createElement('figcaption');
      title.innerHTML = '<strong></strong> <span class="unit"></span><br><span class="hint"></span>';
      title.querySelector('strong').textContent = chart.title;
      title.querySelector('.unit').textContent = '(' + chart.unit + ')';
      title.querySelector('.hint').textContent = chart.hint;
      box.appendChild(title);
      host.appendChild(box);
      var series = [{ label: 'second' }].concat(
        chart.series.map(function (s, i) {
          return { label: s.label, stroke: palette[i % palette.length], width: 2, spanGaps: false, points: { show: false } };
        }),
      );
      var data = [xs].concat(chart.series.map(function (s) { return s.values; }));
      var width = Math.max(600, host.clientWidth - 16);
      new uPlot(
        {
          width: width,
          height: 260,
          padding: [LABEL_ROWS * 13 + 8, 16, 0, 0],
          // The y range always includes SLO lines, so a limit above the data is still drawn.
          scales: {
            x: { time: false },
            y: {
              range: function (u, min, max) {
                chart.lines.forEach(function (l) { max = Math.max(max, l.value * 1.1); });
                return [Math.min(0, min), max > 0 ? max : 1];
              },
            },
          },
          axes: [{ label: 'replay second' }, { label: chart.unit, size: 60 }],
          series: series,
          legend: { live: false },
          cursor: { drag: { x: true, y: false } },
          plugins: [linesPlugin(chart.lines), marksPlugin(variant.marks)],
        },
        data,
        box,
      );
      drawn++;
    });
  });
  document.body.setAttribute('data-rendered', String(drawn));
})();
