// The replays view: the list of replays (state, stream, group, from, who started it and when, overall progress) and
// a replay's detail, its per-partition progress bars, events/s and ETA fed live by its server-sent events; for an
// operator or admin, a form to start one and the buttons that apply to its state (Pause, Resume, Cancel). Loaded
// after auth.js (which adds the CSRF token to every POST), page.js and app.js. Builds its own section; every value
// from the server goes in as textContent.
(function () {
  'use strict';

  var REPLAYS = '/api/v1/replays';
  var page = window.sluicePage;
  var readBody = page.readBody;
  // The one replay whose detail is open, and its event stream.
  var open = { id: null, source: null };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // Whether the replay has ended (the API says so): its stream ends then, and no button applies.
  function isFinal(replay) {
    return replay.final === true;
  }

  function field(label, input) {
    var l = el('label', {}, label + ' ');
    l.appendChild(input);
    return l;
  }

  function build() {
    var list = document.getElementById('list');
    if (!list) return false;
    var section = el('section', { id: 'replays', 'class': 'replays', 'data-testid': 'replays' });
    section.appendChild(el('h3', {}, 'Replays'));

    var form = el('form', { id: 'replay-form', 'class': 'actions requires-change', 'data-testid': 'replay-form' });
    form.appendChild(el('span', { 'class': 'muted' }, 'Replay a stream\u2019s history to a new consumer group:'));
    form.appendChild(field('Stream', el('input', { id: 'replay-stream', name: 'stream', size: '12', required: '',
      'data-testid': 'replay-stream' })));
    form.appendChild(field('Group', el('input', { id: 'replay-group', name: 'group', size: '14', required: '',
      'data-testid': 'replay-group' })));
    form.appendChild(field('From', el('input', { id: 'replay-from', name: 'from', size: '22', value: 'earliest',
      required: '', placeholder: 'earliest or 2026-11-22T00:00:00Z', 'data-testid': 'replay-from' })));
    form.appendChild(el('button', { type: 'submit', id: 'replay-start', 'data-testid': 'replay-start' }, 'Start replay'));
    section.appendChild(form);
    section.appendChild(el('p', { id: 'replay-outcome', 'class': 'muted', role: 'status',
      'data-testid': 'replay-outcome' }));

    var table = el('table', { id: 'replays-table', 'class': 'small', 'data-testid': 'replays-table' });
    var head = el('thead');
    var hr = el('tr');
    ['Replay', 'State', 'Stream', 'Group', 'From', 'Started by', 'Started at', 'Progress'].forEach(
      function (h) { hr.appendChild(el('th', {}, h)); });
    head.appendChild(hr);
    table.appendChild(head);
    table.appendChild(el('tbody', { id: 'replays-body', 'data-testid': 'replays-body' }));
    section.appendChild(table);
    section.appendChild(buildDetail());
    list.appendChild(section);

    form.addEventListener('submit', function (e) {
      e.preventDefault();
      start(form.elements.stream.value.trim(), form.elements.group.value.trim(), form.elements.from.value.trim());
    });
    return true;
  }

  function buildDetail() {
    var detail = el('div', { id: 'replay-detail', 'class': 'replay-detail', 'data-testid': 'replay-detail' });
    detail.hidden = true;
    var h = el('h4', {}, 'Replay ');
    h.appendChild(el('code', { 'data-field': 'id' }));
    h.appendChild(document.createTextNode(' '));
    h.appendChild(el('span', { 'class': 'status', 'data-field': 'state', 'data-testid': 'replay-state' }));
    detail.appendChild(h);
    var summary = el('p', { 'class': 'muted', 'data-field': 'summary', 'data-testid': 'replay-summary' });
    detail.appendChild(summary);
    var totals = el('p', { 'data-testid': 'replay-totals' });
    totals.appendChild(el('span', { 'data-field': 'rate', 'data-testid': 'replay-rate' }));
    totals.appendChild(document.createTextNode(' \u00b7 ETA '));
    totals.appendChild(el('span', { 'data-field': 'eta', 'data-testid': 'replay-eta' }));
    detail.appendChild(totals);

    var table = el('table', { 'class': 'small', 'data-testid': 'replay-partitions' });
    var hr = el('tr');
    ['Partition', 'Progress', 'Reached / end', 'Remaining', 'Events/s', 'ETA', 'Speed'].forEach(
      function (t) { hr.appendChild(el('th', {}, t)); });
    var head = el('thead');
    head.appendChild(hr);
    table.appendChild(head);
    table.appendChild(el('tbody', { 'data-field': 'partitions' }));
    detail.appendChild(table);

    var buttons = el('div', { 'class': 'actions requires-change', 'data-testid': 'replay-buttons' });
    ['pause', 'resume', 'cancel'].forEach(function (action) {
      var b = el('button', { type: 'button', 'data-action': action, 'data-testid': 'replay-' + action },
        action.charAt(0).toUpperCase() + action.slice(1));
      if (action === 'cancel') b.className = 'danger';
      b.hidden = true;
      b.addEventListener('click', function () { control(open.id, action); });
      buttons.appendChild(b);
    });
    detail.appendChild(buttons);
    return detail;
  }

  function start(stream, group, from) {
    var out = document.getElementById('replay-outcome');
    page.postJson(REPLAYS, { stream: stream, group: group, from: from })
      .then(readBody)
      .then(function (r) {
        var b = r.body || {};
        if (r.status === 201) {
          out.textContent = 'Replay ' + b.id + ' started: ' + b.stream + ' to group ' + b.group + '.';
          return load().then(function () { return openDetail(b.id); });
        }
        out.textContent = 'Refused (' + r.status + '): ' + page.titleAndDetail(b);
      })
      .catch(function (e) { out.textContent = 'Start failed: ' + e.message; });
  }

  // Pause and resume may be refused (say, by a console that does not offer them yet): their problem's detail shows.
  function control(id, action) {
    var out = document.getElementById('replay-outcome');
    fetch(REPLAYS + '/' + encodeURIComponent(id) + '/' + action,
      { method: 'POST', headers: { Accept: 'application/json' } })
      .then(readBody)
      .then(function (r) {
        if (r.status === 200 && r.body) {
          out.textContent = 'Replay ' + r.body.id + ' is ' + r.body.state + '.';
          show(r.body);
        } else {
          out.textContent = action + ' refused (' + r.status + '): '
            + ((r.body && page.titleAndDetail(r.body)) || 'HTTP ' + r.status);
        }
      })
      .catch(function (e) { out.textContent = action + ' failed: ' + e.message; });
  }

  // Events of history handled, of all there were, over every partition.
  function overall(replay) {
    var done = 0;
    var total = 0;
    (replay.partitions || []).forEach(function (p) {
      total += p.end - p.start;
      done += Math.min(p.reached, p.end) - p.start;
    });
    return { done: done, total: total };
  }

  function bar(done, total, testid) {
    var b = el('progress', { max: String(Math.max(total, 1)), value: String(total ? done : 1), 'data-testid': testid });
    return b;
  }

  function percent(done, total) {
    return ' ' + (total ? Math.floor(100 * done / total) : 100) + '%';
  }

  function row(id) {
    var existing = document.querySelector('#replays-body tr[data-replay="' + CSS.escape(id) + '"]');
    if (existing) return existing;
    var tr = el('tr', { 'data-replay': id, 'data-testid': 'replay-row' });
    var idCell = el('td', {});
    var link = el('a', { href: '#', 'data-testid': 'replay-open' }, id);
    link.addEventListener('click', function (e) {
      e.preventDefault();
      openDetail(id);
    });
    idCell.appendChild(link);
    tr.appendChild(idCell);
    ['state', 'stream', 'group', 'from', 'by', 'at', 'progress'].forEach(function (name) {
      tr.appendChild(el('td', { 'data-field': name }));
    });
    document.getElementById('replays-body').appendChild(tr);
    return tr;
  }

  function set(root, name, text) {
    root.querySelector('[data-field="' + name + '"]').textContent = text;
  }

  function renderRow(replay) {
    var tr = row(replay.id);
    set(tr, 'state', replay.state);
    set(tr, 'stream', replay.stream);
    set(tr, 'group', replay.group);
    set(tr, 'from', replay.from);
    set(tr, 'by', replay.createdBy);
    set(tr, 'at', replay.createdAt);
    var o = overall(replay);
    var cell = tr.querySelector('[data-field="progress"]');
    cell.textContent = '';
    cell.appendChild(bar(o.done, o.total, 'replay-row-progress'));
    cell.appendChild(el('span', { 'class': 'muted' }, percent(o.done, o.total)));
    return tr;
  }

  function eta(value) {
    return value === undefined || value === null ? '\u2014' : value + ' s';
  }

  function rate(value) {
    return value === undefined || value === null ? '\u2014 events/s' : value + ' events/s';
  }

  // The detail of the replay the page follows; an update for another replay (a late event) changes only its row.
  function show(replay) {
    if (!replay || !replay.id) return;
    renderRow(replay);
    if (open.id !== replay.id) return;
    var detail = document.getElementById('replay-detail');
    detail.hidden = false;
    detail.setAttribute('data-replay', replay.id);
    set(detail, 'id', replay.id);
    set(detail, 'state', replay.state);
    set(detail, 'summary', 'stream ' + replay.stream + ' (topic ' + replay.topic + ') to group ' + replay.group
      + ', from ' + replay.from + '; started by ' + replay.createdBy + ' at ' + replay.createdAt + ', updated '
      + replay.updatedAt);
    set(detail, 'rate', rate(replay.eventsPerSecond));
    set(detail, 'eta', eta(replay.etaSeconds));
    var body = detail.querySelector('[data-field="partitions"]');
    body.textContent = '';
    (replay.partitions || []).forEach(function (p) {
      var tr = el('tr', { 'data-partition': String(p.partition), 'data-testid': 'replay-partition' });
      tr.appendChild(el('td', {}, p.partition));
      var total = p.end - p.start;
      var done = Math.min(p.reached, p.end) - p.start;
      var cell = el('td', {});
      cell.appendChild(bar(done, total, 'replay-partition-progress'));
      cell.appendChild(el('span', { 'class': 'muted' }, percent(done, total) + (p.passed ? ' passed its end' : '')));
      tr.appendChild(cell);
      tr.appendChild(el('td', { 'data-field': 'reached' }, p.reached + ' / ' + p.end));
      tr.appendChild(el('td', { 'data-field': 'remaining' },
        p.remaining === undefined ? Math.max(0, p.end - p.reached) : p.remaining));
      tr.appendChild(el('td', { 'data-field': 'rate' }, p.eventsPerSecond === undefined ? '\u2014' : p.eventsPerSecond));
      tr.appendChild(el('td', { 'data-field': 'eta' }, eta(p.etaSeconds)));
      tr.appendChild(el('td', { 'data-field': 'speed' },
        p.speedMultiple === undefined ? '\u2014' : p.speedMultiple + '\u00d7 real time'));
      body.appendChild(tr);
    });
    // Only what applies to the state (and the API decides again): Pause when running, Resume when paused or
    // halted, Cancel until it has ended.
    detail.querySelector('[data-action="pause"]').hidden = replay.state !== 'RUNNING';
    detail.querySelector('[data-action="resume"]').hidden = replay.state !== 'PAUSED' && replay.state !== 'HALTED';
    detail.querySelector('[data-action="cancel"]').hidden = isFinal(replay);
    follow(replay);
  }

  function stop() {
    if (open.source) open.source.close();
    open.source = null;
  }

  function follow(replay) {
    if (open.source || isFinal(replay) || typeof EventSource === 'undefined') return;
    var source = new EventSource(REPLAYS + '/' + encodeURIComponent(replay.id) + '/events');
    open.source = source;
    source.addEventListener('progress', function (e) {
      var r = null;
      try { r = JSON.parse(e.data); } catch (err) { return; }
      if (open.source !== source) return;
      if (isFinal(r)) stop();
      show(r);
    });
    source.onerror = function () {
      // The stream ended (final state) or the console went away: stop; opening the replay again follows it anew.
      if (open.source === source) stop();
      else source.close();
    };
  }

  function openDetail(id) {
    stop();
    open.id = id;
    return page.getJson(REPLAYS + '/' + encodeURIComponent(id))
      .then(readBody)
      .then(function (r) {
        if (r.status === 200) show(r.body);
        else document.getElementById('replay-outcome').textContent = page.titleAndDetail(r.body || {});
      });
  }

  function load() {
    return page.getJson(REPLAYS + '?limit=20')
      .then(readBody)
      .then(function (r) {
        if (r.status !== 200 || !r.body) return;
        var body = document.getElementById('replays-body');
        (r.body.replays || []).slice().reverse().forEach(function (replay) {
          // Newest first.
          body.insertBefore(renderRow(replay), body.firstChild);
        });
      });
  }

  function init() {
    if (!build()) return;
    load();
    var refresh = document.getElementById('refresh');
    if (refresh) {
      refresh.addEventListener('click', function () {
        load();
        if (open.id) openDetail(open.id);
      });
    }
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
}());
