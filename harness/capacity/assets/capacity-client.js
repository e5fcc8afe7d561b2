// Browser side of capacity-report.html: draws every chart with uPlot (inlined before this script)
// from the JSON embedded in the page; no network, works from file://. Measured points are dots,
// fitted curves are lines, held-out runs are hollow; the break is a vertical red line.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('capacity-data').textContent);
  var colours = ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#db2777', '#4b5563'];

  function overlay(chart) {
    return {
      hooks: {
        draw: [
          function (u) {
            var c = u.ctx;
            var px = window.devicePixelRatio || 1;
            var b = u.bbox;
            c.save();
            c.font = 11 * px + 'px system-ui, sans-serif';
            c.lineWidth = 1.5 * px;
            chart.lines.forEach(function (l) {
              var y = Math.round(u.valToPos(l.value, l.scale, true));
              if (y < b.top || y > b.top + b.height) return;
              c.strokeStyle = '#6b7280';
              c.setLineDash([6 * px, 4 * px]);
              c.beginPath();
              c.moveTo(b.left, y);
              c.lineTo(b.left + b.width, y);
              c.stroke();
              c.fillStyle = '#374151';
              c.textAlign = 'left';
              c.fillText(l.label, b.left + 4 * px, y - 3 * px);
            });
            chart.marks.forEach(function (m) {
              var x = Math.round(u.valToPos(m.x, 'x', true));
              if (x < b.left || x > b.left + b.width) return;
              c.strokeStyle = '#b91c1c';
              c.setLineDash([]);
              c.beginPath();
              c.moveTo(x, b.top);
              c.lineTo(x, b.top + b.height);
              c.stroke();
              c.fillStyle = '#b91c1c';
              c.textAlign = 'right';
              c.fillText(m.label, x - 4 * px, b.top + 12 * px);
            });
            c.restore();
          },
        ],
      },
    };
  }

  function seriesOpts(s, i) {
    var colour = s.kind === 'fit' && s.label === 'fit' ? '#111827' : colours[i % colours.length];
    if (s.kind === 'fit') return { label: s.label, scale: s.scale, stroke: colour, width: 2, spanGaps: true, points: { show: false } };
    return {
      label: s.label,
      scale: s.scale,
      stroke: colour,
      width: 0,
      paths: function () { return null; },
      points: { show: true, size: 6, width: 1.5, stroke: colour, fill: s.kind === 'holdout' ? '#fff' : colour },
    };
  }

  var drawn = 0;
  data.charts.forEach(function (chart) {
    var host = document.getElementById('chart-' + chart.id);
    if (!host) return;
    var scales = { x: { time: false }, y: { range: function (u, min, max) { chart.lines.forEach(function (l) { if (l.scale === 'y') max = Math.max(max, l.value * 1.05); }); return [Math.min(0, min), max > 0 ? max : 1]; } } };
    var axes = [{ label: chart.xLabel }, { label: chart.yLabel, size: 64 }];
    if (chart.y2Label) {
      scales.y2 = { range: function (u, min, max) { chart.lines.forEach(function (l) { if (l.scale === 'y2') max = Math.max(max, l.value * 1.05); }); return [Math.min(0, min), max > 0 ? max : 1]; } };
      axes.push({ label: chart.y2Label, scale: 'y2', side: 1, size: 64, grid: { show: false } });
    }
    new uPlot(
      {
        width: Math.max(560, host.clientWidth - 8),
        height: 280,
        scales: scales,
        axes: axes,
        series: [{ label: chart.xLabel }].concat(chart.series.map(seriesOpts)),
        legend: { live: false },
        plugins: [overlay(chart)],
      },
      [chart.x].concat(chart.series.map(function (s) { return s.values; })),
      host,
    );
    drawn++;
  });
  document.body.setAttribute('data-rendered', String(drawn));
})();
