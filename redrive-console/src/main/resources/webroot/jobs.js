// The jobs view: start a bulk redrive of everything the current filters match, and follow each job live (progress
// bar, rate, ETA) over server-sent events, with pause, resume and cancel. Loaded after auth.js (which adds the CSRF
// token to every POST), page.js (the shared helpers) and app.js. Builds its own section; every value from the server
// goes in as textContent.
(function () {
  'use strict';

  var JOBS = '/api/v1/redrives';
  var page = window.sluicePage;
  var readBody = page.readBody;
  var streams = {};

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function build() {
    var main = document.querySelector('main');
    var list = document.getElementById('list');
    if (!main || !list) return null;
    var section = el('section', { id: 'jobs', 'class': 'jobs', 'data-testid': 'jobs' });
    section.appendChild(el('h3', {}, 'Bulk redrive jobs'));

    var form = el('div', { 'class': 'actions requires-change', 'data-testid': 'job-form' });
    form.appendChild(el('span', { 'class': 'muted' }, 'Redrive every QUARANTINED item the filters above match, at'));
    var rate = el('input', { id: 'job-rate', type: 'number', min: '1', max: '5000', value: '100', size: '6',
      'data-testid': 'job-rate', 'aria-label': 'items per second' });
    form.appendChild(rate);
    form.appendChild(el('span', { 'class': 'muted' }, 'per second'));
    var dryLabel = el('label', {});
    var dry = el('input', { id: 'job-dry-run', type: 'checkbox', 'data-testid': 'job-dry-run' });
    dryLabel.appendChild(dry);
    dryLabel.appendChild(document.createTextNode(' dry run (count only)'));
    form.appendChild(dryLabel);
    var start = el('button', { type: 'button', id: 'job-start', 'data-testid': 'job-start' }, 'Start job');
    form.appendChild(start);
    section.appendChild(form);
    section.appendChild(el('p', { id: 'job-outcome', 'class': 'muted', role: 'status', 'data-testid': 'job-outcome' }));

    var table = el('table', { id: 'jobs-table', 'class': 'small', 'data-testid': 'jobs-table' });
    var head = el('thead');
    var hr = el('tr');
    ['Job', 'State', 'Progress', 'Sent / skipped', 'Succeeded / failed again', 'Rate', 'ETA', 'By', ''].forEach(
      function (h) { hr.appendChild(el('th', {}, h)); });
    head.appendChild(hr);
    table.appendChild(head);
    table.appendChild(el('tbody', { id: 'jobs-body', 'data-testid': 'jobs-body' }));
    section.appendChild(table);
    list.appendChild(section);

    start.addEventListener('click', function () { create(rate.value, dry.checked); });
    return section;
  }

  /** The list filters from the page's filter form, as a job filter (status is always QUARANTINED for a job). */
  function currentFilter() {
    var filter = {};
    var form = document.getElementById('filters');
    if (!form) return filter;
    new FormData(form).forEach(function (value, name) {
      if (name !== 'status' && typeof value === 'string' && value.trim() !== '') filter[name] = value.trim();
    });
    return filter;
  }

  function create(rate, dryRun) {
    var out = document.getElementById('job-outcome');
    page.postJson(JOBS, { filter: currentFilter(), ratePerSecond: Number(rate), dryRun: dryRun })
      .then(readBody)
      .then(function (r) {
        var b = r.body || {};
        if (r.status === 202) {
          out.textContent = (b.dryRun ? 'Dry run: ' : 'Job ' + b.id + ' started: ') + b.matched
            + (b.matchedExact ? '' : '+') + ' item(s) match.';
        } else {
          out.textContent = 'Refused (' + r.status + '): ' + page.titleAndDetail(b);
        }
        return load();
      })
      .catch(function (e) { out.textContent = e.message; });
  }

  function control(id, action) {
    var out = document.getElementById('job-outcome');
    fetch(JOBS + '/' + encodeURIComponent(id) + '/' + action, { method: 'POST', headers: { Accept: 'application/json' } })
      .then(readBody)
      .then(function (r) {
        if (r.status === 200) {
          render(r.body);
          follow(r.body);
        } else {
          out.textContent = (r.body && r.body.detail) || ('HTTP ' + r.status);
        }
      })
      // The console unreachable: say so rather than leave the click unanswered.
      .catch(function (e) { out.textContent = action + ' failed: ' + e.message; });
  }

  function row(id) {
    var existing = document.querySelector('#jobs-body tr[data-job="' + CSS.escape(id) + '"]');
    if (existing) return existing;
    var tr = el('tr', { 'data-job': id, 'data-testid': 'job-row' });
    tr.appendChild(el('td', {}, id));
    ['state', 'progress', 'sent', 'outcomes', 'rate', 'eta', 'by', 'buttons'].forEach(function (name) {
      tr.appendChild(el('td', { 'data-field': name }));
    });
    var bar = el('progress', { max: '1', value: '0', 'data-testid': 'job-progress' });
    tr.querySelector('[data-field="progress"]').appendChild(bar);
    tr.querySelector('[data-field="progress"]').appendChild(el('span', { 'class': 'muted', 'data-field': 'percent' }));
    var buttons = tr.querySelector('[data-field="buttons"]');
    buttons.classList.add('requires-change');
    ['pause', 'resume', 'cancel'].forEach(function (action) {
      var b = el('button', { type: 'button', 'data-action': action, 'data-testid': 'job-' + action }, action);
      b.addEventListener('click', function () { control(id, action); });
      buttons.appendChild(b);
    });
    document.getElementById('jobs-body').appendChild(tr);
    return tr;
  }

  function set(tr, field, text) {
    tr.querySelector('[data-field="' + field + '"]').textContent = text;
  }

  function render(job) {
    if (!job || !job.id) return;
    var tr = row(job.id);
    var c = job.counts || {};
    var done = (c.sent || 0) + (c.skipped || 0);
    var total = c.total || 0;
    set(tr, 'state', job.state + (job.detail ? ' — ' + job.detail : ''));
    var bar = tr.querySelector('progress');
    bar.max = Math.max(total, 1);
    bar.value = done;
    tr.querySelector('[data-field="percent"]').textContent =
      ' ' + (total ? Math.floor(100 * done / total) : 0) + '%' + (job.splitDone ? '' : ' (counting)');
    set(tr, 'sent', (c.sent || 0) + ' / ' + (c.skipped || 0) + ' of ' + total);
    set(tr, 'outcomes', (c.succeeded || 0) + ' / ' + (c.failedAgain || 0));
    if (job.ratePerSecondMeasured !== undefined) set(tr, 'rate', job.ratePerSecondMeasured + '/s (max ' + job.ratePerSecond + ')');
    else set(tr, 'rate', 'max ' + job.ratePerSecond + '/s');
    set(tr, 'eta', job.etaSeconds === undefined || job.etaSeconds === null ? '—' : job.etaSeconds + ' s');
    set(tr, 'by', job.createdBy);
    tr.querySelector('[data-action="pause"]').disabled = job.state !== 'RUNNING';
    tr.querySelector('[data-action="resume"]').disabled = job.state !== 'PAUSED';
    tr.querySelector('[data-action="cancel"]').disabled = job.state !== 'RUNNING' && job.state !== 'PAUSED';
  }

  function follow(job) {
    if (job.state !== 'RUNNING' && job.state !== 'PAUSED') return;
    if (streams[job.id] || typeof EventSource === 'undefined') return;
    var source = new EventSource(JOBS + '/' + encodeURIComponent(job.id) + '/events');
    streams[job.id] = source;
    source.addEventListener('progress', function (e) {
      var j = null;
      try { j = JSON.parse(e.data); } catch (err) { return; }
      render(j);
      if (j.state !== 'RUNNING' && j.state !== 'PAUSED') {
        source.close();
        delete streams[job.id];
      }
    });
    source.onerror = function () {
      // The stream ended (final state) or the console went away: stop; Refresh opens it again.
      source.close();
      delete streams[job.id];
    };
  }

  function load() {
    return page.getJson(JOBS + '?limit=10')
      .then(readBody)
      .then(function (r) {
        if (r.status !== 200 || !r.body) return;
        var body = document.getElementById('jobs-body');
        (r.body.jobs || []).slice().reverse().forEach(function (job) {
          render(job);
          // Newest first.
          body.insertBefore(row(job.id), body.firstChild);
          follow(job);
        });
      });
  }

  page.startView(build, load);
}());
