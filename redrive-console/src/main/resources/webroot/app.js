// Redrive console page. Plain DOM, no framework: every value from the API goes in through textContent, never as HTML.
(function () {
  'use strict';

  // Absolute: the page is also served at /quarantine/{id}.
  var API = '/api/v1/quarantine';
  var $ = function (id) { return document.getElementById(id); };

  var state = { selectedId: null, originalData: '' };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  function fmtTime(iso) {
    if (!iso) return '';
    var d = new Date(iso);
    return isNaN(d.getTime()) ? iso : d.toLocaleString();
  }

  function statusBadge(status) {
    var s = el('span', status, 'status status-' + status);
    s.setAttribute('data-testid', 'status-badge');
    return s;
  }

  function readBody(res) {
    return res.text().then(function (text) {
      var body = null;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
      return { status: res.status, body: body };
    });
  }

  // ---- list -------------------------------------------------------------------------------------------------------

  function filters() {
    var q = new URLSearchParams();
    ['status', 'stream', 'group'].forEach(function (name) {
      var v = $('filter-' + name).value;
      if (v) q.set(name, v);
    });
    return q;
  }

  // Options accumulate from what the list has shown, so a filter can be cleared and chosen again.
  function addOptions(select, values) {
    var have = {};
    Array.prototype.forEach.call(select.options, function (o) { have[o.value] = true; });
    values.forEach(function (v) {
      if (v && !have[v]) {
        have[v] = true;
        var o = el('option', v);
        o.value = v;
        select.appendChild(o);
      }
    });
  }

  function loadList() {
    var q = filters().toString();
    $('list-status').textContent = 'Loading…';
    return fetch(API + (q ? '?' + q : ''), { headers: { Accept: 'application/json' } })
      .then(readBody)
      .then(function (r) {
        if (r.status !== 200) {
          $('list-status').textContent = 'Could not load: ' + ((r.body && (r.body.detail || r.body.title)) || r.status);
          return;
        }
        renderList(r.body.items || []);
      })
      .catch(function (e) { $('list-status').textContent = 'Could not load: ' + e.message; });
  }

  function renderList(items) {
    var body = $('items-body');
    body.textContent = '';
    items.forEach(function (item) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-testid', 'item-row');
      tr.setAttribute('data-id', item.id);
      tr.setAttribute('data-status', item.status);
      if (item.id === state.selectedId) tr.className = 'selected';
      var time = el('td', fmtTime(item.quarantinedAt));
      time.title = item.quarantinedAt;
      tr.appendChild(time);
      var st = el('td');
      st.appendChild(statusBadge(item.status));
      tr.appendChild(st);
      tr.appendChild(el('td', item.stream));
      tr.appendChild(el('td', item.group));
      tr.appendChild(el('td', item.type || '—'));
      tr.appendChild(el('td', item.reason));
      tr.addEventListener('click', function () { openDetail(item.id); });
      body.appendChild(tr);
    });
    addOptions($('filter-stream'), items.map(function (i) { return i.stream; }));
    addOptions($('filter-group'), items.map(function (i) { return i.group; }));
    $('list-status').textContent = items.length === 0 ? 'No quarantined items match.' : items.length + ' item(s), newest first.';
  }

  // ---- detail -----------------------------------------------------------------------------------------------------

  function text(id, value) { $(id).textContent = value === null || value === undefined || value === '' ? '—' : String(value); }

  function pretty(item) {
    if (item.data !== undefined) return JSON.stringify(item.data, null, 2);
    return item.payload;
  }

  function fillViolations(list, violations) {
    list.textContent = '';
    (violations || []).forEach(function (v) {
      var li = el('li');
      li.setAttribute('data-testid', 'violation');
      li.setAttribute('data-pointer', v.pointer);
      li.appendChild(el('code', v.pointer));
      li.appendChild(document.createTextNode(' ' + v.keyword + ': ' + v.message));
      list.appendChild(li);
    });
  }

  function openDetail(id, keepOutcome) {
    state.selectedId = id;
    // The item's shareable address.
    var here = '/quarantine/' + encodeURIComponent(id);
    if (location.pathname !== here) history.replaceState(null, '', here);
    Array.prototype.forEach.call($('items-body').rows, function (tr) {
      tr.className = tr.getAttribute('data-id') === id ? 'selected' : '';
    });
    return fetch(API + '/' + encodeURIComponent(id), { headers: { Accept: 'application/json' } })
      .then(readBody)
      .then(function (r) {
        if (r.status !== 200) {
          showOutcome(false, r.status, (r.body && (r.body.detail || r.body.title)) || 'could not load the item');
          return;
        }
        renderDetail(r.body, keepOutcome);
      });
  }

  function renderDetail(item, keepOutcome) {
    $('detail').hidden = false;
    document.querySelector('main').className = 'with-detail';
    text('detail-id', item.id);
    var st = $('detail-status');
    st.textContent = item.status;
    st.className = 'status status-' + item.status;
    $('detail').setAttribute('data-status', item.status);
    text('detail-reason', item.reason);
    text('detail-error-class', item.errorClass);
    text('detail-error-message', item.errorMessage);
    fillViolations($('detail-violations'), item.violations);
    text('detail-stream', item.stream);
    text('detail-group', item.group);
    text('detail-topic', item.topic);
    text('detail-partition', item.partition);
    text('detail-offset', item.offset);
    text('detail-key', item.key);
    text('detail-type', item.type);
    text('detail-event-id', item.eventId);
    text('detail-attempts', item.attempts);
    text('detail-redrive-count', item.redriveCount);
    text('detail-quarantined-at', fmtTime(item.quarantinedAt));
    $('detail-payload').textContent = pretty(item);

    var hb = $('detail-headers-body');
    hb.textContent = '';
    (item.headers || []).forEach(function (h) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-testid', 'header-row');
      tr.appendChild(el('td', h.key));
      tr.appendChild(el('td', h.value));
      hb.appendChild(tr);
    });
    if (!item.headers || item.headers.length === 0) {
      var none = document.createElement('tr');
      none.appendChild(el('td', 'no headers', 'muted'));
      hb.appendChild(none);
    }

    var hist = $('detail-history');
    hist.textContent = '';
    (item.history || []).forEach(function (a) {
      var li = el('li', fmtTime(a.at) + ' · ' + a.action + ' by ' + a.actor + (a.detail ? ' — ' + a.detail : ''));
      li.setAttribute('data-testid', 'history-entry');
      li.setAttribute('data-action', a.action);
      hist.appendChild(li);
    });

    // The editor starts with the data a redrive would send now: the operator's earlier fix if any, else the original.
    var data = item.editedData !== undefined ? item.editedData : item.data;
    state.originalData = data === undefined ? '' : JSON.stringify(data, null, 2);
    $('data-editor').value = state.originalData;
    $('redrive-button').disabled = item.status !== 'QUARANTINED';
    if (!keepOutcome) {
      $('redrive-outcome').hidden = true;
      $('redrive-violations').textContent = '';
    }
  }

  function closeDetail() {
    state.selectedId = null;
    $('detail').hidden = true;
    document.querySelector('main').className = '';
    history.replaceState(null, '', '/' + location.search);
    Array.prototype.forEach.call($('items-body').rows, function (tr) { tr.className = ''; });
  }

  // ---- redrive ----------------------------------------------------------------------------------------------------

  function showOutcome(ok, status, message) {
    var o = $('redrive-outcome');
    o.hidden = false;
    o.className = 'outcome ' + (ok ? 'ok' : 'bad');
    o.setAttribute('data-status', String(status));
    o.textContent = status + ' · ' + message;
  }

  function redrive() {
    var id = state.selectedId;
    if (!id) return;
    var edited = $('data-editor').value;
    var headers = { Accept: 'application/json' };
    var init = { method: 'POST', headers: headers };
    // Only a changed editor sends data; the raw text goes as is so that the server validates exactly what was typed.
    if (edited.trim() !== state.originalData.trim()) {
      headers['Content-Type'] = 'application/json';
      init.body = '{"data":' + edited + '}';
    }
    $('redrive-button').disabled = true;
    $('redrive-violations').textContent = '';
    fetch(API + '/' + encodeURIComponent(id) + '/redrive', init)
      .then(readBody)
      .then(function (r) {
        var b = r.body || {};
        if (r.status === 202) {
          showOutcome(true, 202, 'Redrive accepted: the item is ' + b.status + ' and on its way to group ' + b.group + '.');
        } else {
          showOutcome(false, r.status, (b.title ? b.title + ': ' : '') + (b.detail || ''));
          fillViolations($('redrive-violations'), b.violations);
        }
        if (r.status === 422 || r.status === 400) {
          $('redrive-button').disabled = false;
          return null;
        }
        return Promise.all([openDetail(id, true), loadList()]);
      })
      .catch(function (e) {
        showOutcome(false, 0, e.message);
        $('redrive-button').disabled = false;
      });
  }

  // ---- wiring -----------------------------------------------------------------------------------------------------

  ['filter-status', 'filter-stream', 'filter-group'].forEach(function (id) {
    $(id).addEventListener('change', loadList);
  });
  $('refresh').addEventListener('click', function () {
    loadList();
    if (state.selectedId) openDetail(state.selectedId, true);
  });
  $('detail-close').addEventListener('click', closeDetail);
  $('redrive-button').addEventListener('click', redrive);
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); loadList(); });

  // Open the item a shared address names: /quarantine/{id} (or the older #item={id}).
  loadList().then(function () {
    var m = /^\/quarantine\/([^/]+)$/.exec(location.pathname) || /^#item=(.+)$/.exec(location.hash);
    if (m) openDetail(decodeURIComponent(m[1]));
  });
})();
