// Redrive console page, loaded after page.js (the helpers it shares with fix.js and jobs.js). Plain DOM, no
// framework: every value from the API goes in through textContent, never as HTML.
(function () {
  'use strict';

  // Absolute: the page is also served at /quarantine/{id}.
  var API = '/api/v1/quarantine';
  var $ = function (id) { return document.getElementById(id); };
  var page = window.sluicePage;
  var el = page.el;

  var AUDIT = '/api/v1/audit';
  var FILTERS = ['status', 'stream', 'group', 'type', 'reason', 'key', 'from', 'to', 'q', 'fingerprint'];
  var state = { selectedId: null, originalData: '', nextCursor: null, shown: 0, picked: {} };

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

  // This page shows an answer that is not JSON (a proxy's error page, say) as the problem's detail.
  function readBody(res) {
    return page.readBody(res, function (text) { return { detail: text }; });
  }

  // ---- list -------------------------------------------------------------------------------------------------------

  function filters() {
    var q = new URLSearchParams();
    FILTERS.forEach(function (name) {
      var v = $('filter-' + name).value.trim();
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

  function problemText(r) {
    return (r.body && (r.body.detail || r.body.title)) || r.status;
  }

  // Loads of the list can overlap (filters changed while one is out): only the latest may render, or a slow
  // earlier answer would show items for filters no longer chosen.
  var listLoads = 0;

  // The list and the groups read the same filters; "more" continues the list from the server's cursor.
  function loadList(more) {
    var mine = ++listLoads;
    var q = filters();
    if (more && state.nextCursor) q.set('cursor', state.nextCursor);
    $('list-status').textContent = 'Loading…';
    var fp = $('filter-fingerprint').value;
    $('fingerprint-chip').hidden = !fp;
    $('fingerprint-value').textContent = fp;
    var qs = q.toString();
    var list = page.getJson(API + (qs ? '?' + qs : ''))
      .then(readBody)
      .then(function (r) {
        if (mine !== listLoads) return;
        if (r.status !== 200) {
          $('list-status').textContent = 'Could not load: ' + problemText(r);
          return;
        }
        renderList(r.body.items || [], !!more, r.body);
      })
      .catch(function (e) { if (mine === listLoads) $('list-status').textContent = 'Could not load: ' + e.message; });
    if (!more) {
      // Groups and the audit panel load alongside; callers wait only for the list.
      loadGroups();
      loadAudit();
    }
    return list;
  }

  function loadGroups() {
    var q = filters();
    q.delete('fingerprint');
    var qs = q.toString();
    return fillTable(API + '/groups' + (qs ? '?' + qs : ''), 'groups-body', 'groups', 'group-row', function (tr, g) {
      tr.setAttribute('data-fingerprint', g.fingerprint);
      tr.appendChild(el('td', g.count));
      tr.appendChild(el('td', g.type || '—'));
      tr.appendChild(el('td', g.reason));
      tr.appendChild(el('td', g.locus || '—'));
      tr.appendChild(el('td', fmtTime(g.firstSeen)));
      tr.appendChild(el('td', fmtTime(g.lastSeen)));
      var sample = el('td');
      var b = el('button', 'Sample');
      b.type = 'button';
      b.addEventListener('click', function (e) { e.stopPropagation(); openDetail(g.sampleId); });
      sample.appendChild(b);
      tr.appendChild(sample);
      tr.addEventListener('click', function () {
        $('filter-fingerprint').value = g.fingerprint;
        loadList();
      });
    });
  }

  // Fills the table body bodyId with a row per entry of the answer's list (none when refused); fill(tr, entry)
  // completes each row. Engine trouble is left to the list to report.
  function fillTable(url, bodyId, list, testid, fill) {
    return page.getJson(url)
      .then(readBody)
      .then(function (r) {
        var body = $(bodyId);
        body.textContent = '';
        if (r.status !== 200) return;
        (r.body[list] || []).forEach(function (entry) {
          var tr = document.createElement('tr');
          tr.setAttribute('data-testid', testid);
          fill(tr, entry);
          body.appendChild(tr);
        });
      })
      .catch(function () { /* the list reports engine trouble */ });
  }

  function renderList(items, append, page) {
    var body = $('items-body');
    if (!append) {
      body.textContent = '';
      state.shown = 0;
      state.picked = {};
      $('select-all').checked = false;
      $('selection-count').textContent = '0 selected';
      $('redrive-selected').disabled = true;
    }
    items.forEach(function (item) {
      var tr = document.createElement('tr');
      tr.setAttribute('data-testid', 'item-row');
      tr.setAttribute('data-id', item.id);
      tr.setAttribute('data-status', item.status);
      if (item.id === state.selectedId) tr.className = 'selected';
      // A checkbox to pick the item for a redrive of a selection; only QUARANTINED items can be redriven.
      var pick = el('td');
      pick.className = 'requires-change';
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.setAttribute('data-testid', 'item-pick');
      box.setAttribute('aria-label', 'Select item ' + item.id);
      box.disabled = item.status !== 'QUARANTINED';
      box.addEventListener('click', function (e) { e.stopPropagation(); });
      box.addEventListener('change', function () { pickItem(item.id, box.checked); });
      pick.appendChild(box);
      tr.appendChild(pick);
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
    state.shown += items.length;
    state.nextCursor = page.nextCursor || null;
    $('load-more').hidden = !state.nextCursor;
    var total = page.count + (page.countExact ? '' : '+');
    $('list-status').textContent = state.shown === 0 ? 'No quarantined items match.'
      : 'Showing ' + state.shown + ' of ' + total + ' matching item(s), newest first.';
  }

  // ---- redrive a selection ----------------------------------------------------------------------------------------

  function pickItem(id, on) {
    if (on) state.picked[id] = true; else delete state.picked[id];
    var n = Object.keys(state.picked).length;
    $('selection-count').textContent = n + ' selected';
    $('redrive-selected').disabled = n === 0;
  }

  function pickAllShown(on) {
    Array.prototype.forEach.call(document.querySelectorAll('#items-body tr'), function (tr) {
      var box = tr.querySelector('input[type=checkbox]');
      if (!box || box.disabled) return;
      box.checked = on;
      pickItem(tr.getAttribute('data-id'), on);
    });
  }

  /** Starts a bulk redrive job over the picked items (the jobs view below follows it). */
  function redriveSelected() {
    var ids = Object.keys(state.picked);
    if (ids.length === 0) return;
    var rateInput = $('job-rate');
    var rate = rateInput && Number(rateInput.value) > 0 ? Number(rateInput.value) : 100;
    $('redrive-selected').disabled = true;
    page.postJson('/api/v1/redrives', { ids: ids, ratePerSecond: rate })
      .then(readBody)
      .then(function (r) {
        if (r.status === 202) {
          $('selection-outcome').textContent = 'Job ' + r.body.id + ' started for ' + r.body.matched + ' item(s).';
          pickAllShown(false);
          // Reloads the list and the jobs view, which follows the new job live.
          $('refresh').click();
        } else {
          $('selection-outcome').textContent = 'Refused: ' + problemText(r);
          $('redrive-selected').disabled = false;
        }
      })
      .catch(function (e) {
        $('selection-outcome').textContent = e.message;
        $('redrive-selected').disabled = false;
      });
  }

  // ---- audit ------------------------------------------------------------------------------------------------------

  function auditText(a) {
    return fmtTime(a.at) + ' · ' + a.action + ' by ' + a.actor + (a.detail ? ' — ' + a.detail : '');
  }

  function loadAudit() {
    return fillTable(AUDIT + '?limit=20', 'audit-body', 'entries', 'audit-row', function (tr, a) {
      tr.setAttribute('data-action', a.action);
      tr.appendChild(el('td', fmtTime(a.at)));
      tr.appendChild(el('td', a.actor));
      tr.appendChild(el('td', a.action));
      var items = el('td');
      (a.itemIds || []).forEach(function (id) {
        var link = el('a', id.substring(0, 8));
        link.href = '#item=' + encodeURIComponent(id);
        link.title = id;
        link.addEventListener('click', function (e) { e.preventDefault(); openDetail(id); });
        items.appendChild(link);
      });
      tr.appendChild(items);
      tr.appendChild(el('td', a.detail));
    });
  }

  function loadItemAudit(id) {
    return page.getJson(AUDIT + '?itemId=' + encodeURIComponent(id))
      .then(readBody)
      .then(function (r) {
        var list = $('detail-audit');
        list.textContent = '';
        if (r.status !== 200) return;
        (r.body.entries || []).forEach(function (a) {
          var li = el('li', auditText(a));
          li.setAttribute('data-testid', 'audit-entry');
          li.setAttribute('data-action', a.action);
          if (a.before !== null && a.after !== null) {
            li.appendChild(el('pre', 'before: ' + a.before + '\nafter:  ' + a.after, 'code'));
          }
          list.appendChild(li);
        });
        if (!r.body.entries || r.body.entries.length === 0) list.appendChild(el('li', 'no operator action yet', 'muted'));
      })
      .catch(function () { /* shown as empty */ });
  }

  function loadLineage(id) {
    return page.getJson(API + '/' + encodeURIComponent(id) + '/lineage')
      .then(readBody)
      .then(function (r) {
        var steps = $('detail-lineage');
        var parked = $('detail-parked');
        steps.textContent = '';
        parked.textContent = '';
        if (r.status !== 200 || state.selectedId !== id) return;
        (r.body.lineage || []).forEach(function (s) {
          var li = el('li', fmtTime(s.at) + ' · ' + s.stage + (s.actor ? ' by ' + s.actor : '')
            + (s.detail ? ' — ' + s.detail : ''));
          li.setAttribute('data-testid', 'lineage-step');
          li.setAttribute('data-stage', s.stage);
          if (s.position) li.setAttribute('data-position', s.position);
          if (s.before !== null && s.after !== null) {
            li.appendChild(el('pre', 'before: ' + s.before + '\nafter:  ' + s.after, 'code'));
          }
          if (s.stackTrace) {
            // Collapsed; set as text only (el uses textContent): a trace can quote a message made from event data.
            var trace = el('details');
            trace.setAttribute('data-testid', 'stack-trace');
            trace.appendChild(el('summary', 'stack trace'));
            trace.appendChild(el('pre', s.stackTrace, 'code stack-trace'));
            li.appendChild(trace);
          }
          steps.appendChild(li);
        });
        (r.body.parkedBehind || []).forEach(function (p) {
          var li = el('li');
          li.setAttribute('data-testid', 'parked-item');
          li.setAttribute('data-id', p.id);
          var link = el('a', 'offset ' + p.offset + ' · ' + p.id);
          link.href = '#item=' + encodeURIComponent(p.id);
          link.addEventListener('click', function (e) { e.preventDefault(); openDetail(p.id); });
          li.appendChild(link);
          parked.appendChild(li);
        });
        if (!r.body.parkedBehind || r.body.parkedBehind.length === 0) parked.appendChild(el('li', 'nothing', 'muted'));
      })
      .catch(function () { /* shown as empty */ });
  }

  // ---- detail -----------------------------------------------------------------------------------------------------

  function text(id, value) { $(id).textContent = value === null || value === undefined || value === '' ? '—' : String(value); }

  /**
   * Pretty-prints JSON into {@code parent} as text nodes, wrapping each value a violation points at in a <mark>
   * (pointers relative to the data, as in {@code marks}). Built node by node: the payload stays text, never HTML.
   */
  function renderJson(parent, value, ptr, indent, marks, prefix) {
    var target = parent;
    if (Object.prototype.hasOwnProperty.call(marks, ptr)) {
      target = document.createElement('mark');
      target.setAttribute('data-testid', 'payload-highlight');
      target.setAttribute('data-pointer', prefix + ptr);
      target.title = marks[ptr];
      parent.appendChild(target);
    }
    var add = function (t) { target.appendChild(document.createTextNode(t)); };
    var pad = new Array(indent + 2).join('  ');
    var end = new Array(indent + 1).join('  ');
    if (Array.isArray(value)) {
      if (!value.length) { add('[]'); return; }
      add('[\n');
      value.forEach(function (v, i) {
        add(pad);
        renderJson(target, v, ptr + '/' + i, indent + 1, marks, prefix);
        add(i < value.length - 1 ? ',\n' : '\n');
      });
      add(end + ']');
    } else if (value !== null && typeof value === 'object') {
      var keys = Object.keys(value);
      if (!keys.length) { add('{}'); return; }
      add('{\n');
      keys.forEach(function (k, i) {
        add(pad + JSON.stringify(k) + ': ');
        renderJson(target, value[k], ptr + '/' + k.replace(/~/g, '~0').replace(/\//g, '~1'), indent + 1, marks,
          prefix);
        add(i < keys.length - 1 ? ',\n' : '\n');
      });
      add(end + '}');
    } else {
      add(JSON.stringify(value));
    }
  }

  /**
   * The payload, pretty-printed when it is JSON, with the values its violations point at marked. Violation pointers
   * address the whole event ({@code /data/price}): the data is rendered under {@code /data}, a structured-mode
   * envelope (with {@code specversion} and {@code data}) from its root.
   */
  function showPayload(item) {
    var payload = $('detail-payload');
    payload.textContent = '';
    if (item.payloadInKafka) {
      // Too big for the store: say where the record keeps it (text only, never HTML).
      var ref = item.payloadInKafka;
      payload.textContent = 'The payload (' + ref.size + ' bytes) was too big for the store and is kept in Kafka at '
          + ref.topic + '-' + ref.partition + '@' + ref.offset + ' (SHA-256 ' + ref.sha256 + '), for as long as the '
          + 'topic retains it. A redrive reads it back from there.';
      return;
    }
    var value = item.data;
    var prefix = '/data';
    if (value === undefined) {
      try {
        value = JSON.parse(item.payload);
      } catch (notJson) {
        payload.textContent = item.payload;
        return;
      }
    }
    // A whole structured-mode envelope (its data member inside): pointers address it from its root.
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'specversion' in value
        && 'data' in value) {
      prefix = '';
    }
    var marks = {};
    (item.violations || []).forEach(function (v) {
      var p = v.pointer || '';
      if (p === prefix || p.indexOf(prefix + '/') === 0) {
        marks[p.substring(prefix.length)] = v.keyword + ': ' + v.message;
      }
    });
    renderJson(payload, value, '', 0, marks, prefix);
  }

  function fillViolations(list, violations) {
    page.fillViolations(list, violations, 'violation');
  }

  function openDetail(id, keepOutcome) {
    state.selectedId = id;
    // The item's shareable address.
    var here = '/quarantine/' + encodeURIComponent(id);
    if (location.pathname !== here) history.replaceState(null, '', here);
    Array.prototype.forEach.call($('items-body').rows, function (tr) {
      tr.className = tr.getAttribute('data-id') === id ? 'selected' : '';
    });
    return page.getJson(API + '/' + encodeURIComponent(id))
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
    showPayload(item);
    text('detail-schema-version', item.schemaVersion == null ? 'not recorded (not a gateway-written record)'
      : 'v' + item.schemaVersion);

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
    $('discard-button').disabled = ['QUARANTINED', 'RETRYING', 'PARKED'].indexOf(item.status) < 0;
    loadItemAudit(item.id);
    loadLineage(item.id);
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
          showOutcome(false, r.status, page.titleAndDetail(b));
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

  function discard() {
    var id = state.selectedId;
    if (!id) return;
    $('discard-button').disabled = true;
    $('redrive-violations').textContent = '';
    page.postJson(API + '/' + encodeURIComponent(id) + '/discard', { reason: $('discard-reason').value })
      .then(readBody)
      .then(function (r) {
        var b = r.body || {};
        if (r.status === 200) {
          showOutcome(true, 200, 'Discarded: the item will never be handled; events parked behind it are released.');
          $('discard-reason').value = '';
          return Promise.all([openDetail(id, true), loadList()]);
        }
        showOutcome(false, r.status, page.titleAndDetail(b));
        $('discard-button').disabled = r.status === 409;
        return null;
      })
      .catch(function (e) {
        showOutcome(false, 0, e.message);
        $('discard-button').disabled = false;
      });
  }

  // ---- wiring -----------------------------------------------------------------------------------------------------

  ['filter-status', 'filter-stream', 'filter-group', 'filter-reason', 'filter-type', 'filter-key', 'filter-from',
    'filter-to', 'filter-q'].forEach(function (id) {
    $(id).addEventListener('change', function () { loadList(); });
  });
  $('load-more').addEventListener('click', function () { loadList(true); });
  $('select-all').addEventListener('change', function () { pickAllShown($('select-all').checked); });
  $('redrive-selected').addEventListener('click', redriveSelected);
  $('fingerprint-clear').addEventListener('click', function () {
    $('filter-fingerprint').value = '';
    loadList();
  });
  $('audit-refresh').addEventListener('click', loadAudit);
  $('discard-button').addEventListener('click', discard);
  // Keyboard: "/" jumps to the text search (unless typing somewhere already), Escape closes the detail.
  document.addEventListener('keydown', function (e) {
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test((e.target && e.target.tagName) || '');
    if (e.key === '/' && !typing) {
      e.preventDefault();
      $('filter-q').focus();
    } else if (e.key === 'Escape' && state.selectedId && !typing) {
      closeDetail();
    }
  });
  $('refresh').addEventListener('click', function () {
    loadList();
    if (state.selectedId) openDetail(state.selectedId, true);
  });
  $('detail-close').addEventListener('click', closeDetail);
  $('redrive-button').addEventListener('click', redrive);
  $('filters').addEventListener('submit', function (e) { e.preventDefault(); loadList(); });

  // Open the item a shared address names: /quarantine/{id} (or the older #item={id}), once the list is there,
  // unless the operator has opened one meanwhile.
  var linked = /^\/quarantine\/([^/]+)$/.exec(location.pathname) || /^#item=(.+)$/.exec(location.hash);
  loadList().then(function () {
    if (linked && !state.selectedId) openDetail(decodeURIComponent(linked[1]));
  });
})();
