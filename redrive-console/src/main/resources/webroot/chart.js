// The console's small chart: items quarantined per hour over the list's filters, one stacked bar per hour, a colour
// per reason. Drawn as SVG with DOM calls only (no markup strings), so no data can become HTML; no inline script or
// style, as the Content-Security-Policy requires.
(function () {
  'use strict';

  var SVG = 'http://www.w3.org/2000/svg';
  var COLOURS = ['#c0392b', '#2e6fd8', '#d68910', '#16a085', '#8e44ad', '#7f8c8d', '#27ae60', '#b03a2e'];
  var FILTERS = ['status', 'stream', 'group', 'type', 'reason', 'key', 'from', 'to', 'q', 'fingerprint'];
  var $ = function (id) { return document.getElementById(id); };

  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    return e;
  }

  function query() {
    var q = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var field = $('filter-' + name);
      var v = field ? field.value.trim() : '';
      if (v) q.set(name, v);
    });
    return q.toString();
  }

  function draw(body) {
    var box = $('chart');
    var legend = $('chart-legend');
    box.textContent = '';
    legend.textContent = '';
    var reasons = Object.keys(body.series || {}).sort();
    var n = (body.starts || []).length;
    var totals = [];
    for (var i = 0; i < n; i++) {
      totals.push(reasons.reduce(function (sum, r) { return sum + body.series[r][i]; }, 0));
    }
    var max = Math.max.apply(null, totals.concat([1]));
    var W = 960, H = 140, PAD = 18, barW = n ? (W - 2 * PAD) / n : 0;
    var chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, preserveAspectRatio: 'none', 'data-testid': 'chart-svg' });
    chart.appendChild(svg('line', { x1: PAD, y1: H - PAD, x2: W - PAD, y2: H - PAD, stroke: '#999' }));
    for (var b = 0; b < n; b++) {
      var y = H - PAD;
      reasons.forEach(function (r, ri) {
        var c = body.series[r][b];
        if (!c) return;
        var h = (H - 2 * PAD) * c / max;
        y -= h;
        var rect = svg('rect', { x: PAD + b * barW + 1, y: y, width: Math.max(1, barW - 2), height: h,
          fill: COLOURS[ri % COLOURS.length], 'data-testid': 'chart-bar', 'data-reason': r, 'data-count': c });
        var title = svg('title', {});
        title.textContent = new Date(body.starts[b]).toLocaleString() + ': ' + c + ' ' + r;
        rect.appendChild(title);
        chart.appendChild(rect);
      });
    }
    var top = svg('text', { x: PAD, y: 12, 'font-size': 11, fill: '#666' });
    top.textContent = 'max ' + max + ' per hour' + (body.complete ? '' : ' (partial: read budget reached)');
    chart.appendChild(top);
    box.appendChild(chart);
    if (!reasons.length) {
      var none = document.createElement('li');
      none.className = 'muted';
      none.textContent = 'nothing quarantined in this range';
      legend.appendChild(none);
    }
    reasons.forEach(function (r, ri) {
      var li = document.createElement('li');
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.setAttribute('data-colour', String(ri % COLOURS.length));
      swatch.style.backgroundColor = COLOURS[ri % COLOURS.length];
      li.appendChild(swatch);
      li.appendChild(document.createTextNode(r + ' ' + body.series[r].reduce(function (a, c) { return a + c; }, 0)));
      li.setAttribute('data-testid', 'chart-legend-entry');
      li.setAttribute('data-reason', r);
      legend.appendChild(li);
    });
  }

  // Loads can overlap (the first, unfiltered one may still be out when the filters change): only the latest may
  // draw, or a slow earlier answer would leave the chart showing counts for filters no longer chosen.
  var latest = 0;

  function load() {
    var q = query();
    var mine = ++latest;
    return fetch('/api/v1/quarantine/timeline' + (q ? '?' + q : ''), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (body) { if (body && mine === latest) draw(body); })
      .catch(function () { /* the chart is an extra: the list shows the error */ });
  }

  var form = $('filters');
  if (form) form.addEventListener('submit', function () { load(); });
  load();
  setInterval(load, 60000);
})();
