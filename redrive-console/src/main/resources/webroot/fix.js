// Fixing items in the page, loaded after page.js (the shared helpers) and app.js, and independent of app.js (it reads
// only the DOM app.js fills):
//  - live validation: as the operator edits the data, the draft is checked against the type's schema by
//    POST /api/v1/quarantine/{id}/validate (debounced) and the violations are shown next to the editor;
//  - a diff of the draft against the data the item was opened with, as a list of changed JSON pointers;
//  - a JSON Patch over the selected fingerprint group: a dry run first, then apply;
//  - requeue behind: a head's parked events go first, the head is retried after them.
// Everything from the server is shown with textContent: payloads are untrusted.
(function () {
  'use strict';

  var API = '/api/v1/quarantine';
  var DEBOUNCE_MS = 300;
  var $ = function (id) { return document.getElementById(id); };
  var page = window.sluicePage;
  var el = page.el;
  var readBody = page.readBody;
  var original = '';
  var timer = null;
  var seq = 0;

  function showViolations(list, violations) {
    page.fillViolations(list, violations, 'draft-violation');
  }

  function setStatus(kind, message) {
    var s = $('draft-status');
    s.className = 'draft-status ' + kind;
    s.setAttribute('data-state', kind);
    s.textContent = message;
  }

  // ---- diff: JSON pointers whose value differs, rooted at /data like violations ------------------------------------

  function escapeToken(t) { return String(t).replace(/~/g, '~0').replace(/\//g, '~1'); }

  function isContainer(v) { return v !== null && typeof v === 'object'; }

  function diff(before, after, pointer, out) {
    if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
      var keys = {};
      Object.keys(before).forEach(function (k) { keys[k] = true; });
      Object.keys(after).forEach(function (k) { keys[k] = true; });
      Object.keys(keys).forEach(function (k) {
        var p = pointer + '/' + escapeToken(k);
        var inBefore = Object.prototype.hasOwnProperty.call(before, k);
        var inAfter = Object.prototype.hasOwnProperty.call(after, k);
        if (!inAfter) out.push({ op: '-', pointer: p, before: before[k] });
        else if (!inBefore) out.push({ op: '+', pointer: p, after: after[k] });
        else diff(before[k], after[k], p, out);
      });
      return out;
    }
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      out.push({ op: '~', pointer: pointer || '/', before: before, after: after });
    }
    return out;
  }

  function showDiff(draft) {
    var list = $('draft-diff');
    list.textContent = '';
    var before;
    try { before = original.trim() ? JSON.parse(original) : undefined; } catch (e) { before = undefined; }
    var changes = diff(before, draft, '/data', []);
    changes.forEach(function (c) {
      var li = el('li', null, 'diff-' + (c.op === '+' ? 'add' : c.op === '-' ? 'remove' : 'change'));
      li.setAttribute('data-testid', 'diff-entry');
      li.setAttribute('data-pointer', c.pointer);
      li.appendChild(el('code', c.op + ' ' + c.pointer));
      var text = c.op === '+' ? ' = ' + JSON.stringify(c.after)
        : c.op === '-' ? ' (was ' + JSON.stringify(c.before) + ')'
        : ' ' + JSON.stringify(c.before) + ' → ' + JSON.stringify(c.after);
      li.appendChild(document.createTextNode(text));
      list.appendChild(li);
    });
    $('draft-diff-box').hidden = changes.length === 0;
  }

  // ---- live validation ---------------------------------------------------------------------------------------------

  function validateNow() {
    var id = $('detail-id').textContent;
    var text = $('data-editor').value;
    var mine = ++seq;
    var draft;
    try {
      draft = JSON.parse(text);
    } catch (e) {
      setStatus('bad', 'Not JSON: ' + e.message);
      showViolations($('draft-violations'), []);
      $('draft-diff-box').hidden = true;
      return;
    }
    showDiff(draft);
    if (text.trim() === original.trim()) {
      setStatus('idle', '');
      showViolations($('draft-violations'), []);
      return;
    }
    setStatus('checking', 'Checking…');
    var url = API + '/' + encodeURIComponent(id) + '/validate';
    page.postJson(url, { data: draft }).then(readBody).then(function (r) {
      if (mine !== seq) return; // a newer draft is being checked
      var b = r.body || {};
      if (r.status !== 200) {
        setStatus('bad', 'Cannot check: ' + (b.detail || b.title || r.status));
        showViolations($('draft-violations'), []);
        return;
      }
      if (b.valid) setStatus('ok', 'Valid against schema version ' + b.schemaVersion);
      else setStatus('bad', b.violations.length + ' violation(s) of schema version ' + b.schemaVersion);
      showViolations($('draft-violations'), b.violations);
    }).catch(function (e) {
      if (mine === seq) setStatus('bad', 'Cannot check: ' + e.message);
    });
  }

  function scheduleValidation() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(validateNow, DEBOUNCE_MS);
  }

  function resetForItem() {
    // app.js fills the editor in the same task as the id, so it is ready when this observer runs.
    original = $('data-editor').value;
    seq++;
    setStatus('idle', '');
    showViolations($('draft-violations'), []);
    $('requeue-outcome').hidden = true;
    $('requeue-reason').value = '';
    $('draft-diff').textContent = '';
    $('draft-diff-box').hidden = true;
  }

  // ---- group patch -------------------------------------------------------------------------------------------------

  var lastDryRun = null;

  function patchRequest(dryRun) {
    var fingerprint = $('patch-fingerprint').value.trim();
    var patch;
    try {
      patch = JSON.parse($('patch-editor').value);
    } catch (e) {
      showPatchOutcome(false, 'The patch is not JSON: ' + e.message);
      return null;
    }
    var url = API + '/groups/' + encodeURIComponent(fingerprint) + '/patch';
    return page.postJson(url, { patch: patch, dryRun: dryRun }).then(readBody);
  }

  function showPatchOutcome(ok, message) {
    var o = $('patch-outcome');
    o.hidden = false;
    o.className = 'outcome ' + (ok ? 'ok' : 'bad');
    o.textContent = message;
  }

  function renderReport(b) {
    var out = $('patch-report');
    out.textContent = '';
    var summary = b.matched + ' matched · ' + b.applicable + ' applicable · ' + b.notApplicable.length
      + ' not applicable · ' + b.stillInvalid.length + ' still invalid' + (b.truncated ? ' · more than shown (cap)' : '');
    if (b.redriven) summary += ' · ' + b.redriven.length + ' redriven · ' + b.failed.length + ' failed';
    var p = el('p', summary);
    p.setAttribute('data-testid', 'patch-summary');
    out.appendChild(p);
    (b.sample || []).forEach(function (s) {
      var li = el('li', null, s.valid ? '' : 'bad');
      li.appendChild(el('code', s.id));
      var changes = diff(s.before, s.after, '/data', []).map(function (c) {
        return c.op + ' ' + c.pointer + (c.op === '-' ? '' : ' = ' + JSON.stringify(c.after));
      });
      li.appendChild(document.createTextNode(' ' + (s.valid ? 'valid' : 'still invalid') + ': ' + changes.join(', ')));
      out.appendChild(li);
    });
    (b.notApplicable || []).slice(0, 20).forEach(function (n) {
      var li = el('li', null, 'muted');
      li.appendChild(el('code', n.id));
      li.appendChild(document.createTextNode(' not applicable: ' + n.reason));
      out.appendChild(li);
    });
    (b.failed || []).forEach(function (f) {
      var li = el('li', null, 'bad');
      li.appendChild(el('code', f.id));
      li.appendChild(document.createTextNode(' failed (' + f.status + '): ' + f.detail));
      out.appendChild(li);
    });
  }

  function runPatch(dryRun) {
    var pending = patchRequest(dryRun);
    if (!pending) return;
    $('patch-apply').disabled = true;
    pending.then(function (r) {
      var b = r.body || {};
      if (r.status !== 200) {
        showPatchOutcome(false, r.status + ' · ' + page.titleAndDetail(b));
        return;
      }
      renderReport(b);
      if (dryRun) {
        lastDryRun = $('patch-fingerprint').value + '\n' + $('patch-editor').value;
        $('patch-apply').disabled = b.applicable === 0;
        showPatchOutcome(true, 'Dry run: nothing was changed. Apply redrives the ' + b.applicable + ' applicable item(s).');
      } else {
        lastDryRun = null;
        showPatchOutcome(b.failed.length === 0, b.redriven.length + ' item(s) patched and redriven.');
      }
    }).catch(function (e) { showPatchOutcome(false, e.message); });
  }

  // ---- requeue behind ----------------------------------------------------------------------------------------------

  function requeueBehind() {
    var id = $('detail-id').textContent;
    var reason = $('requeue-reason').value.trim();
    var o = $('requeue-outcome');
    o.hidden = false;
    if (!reason) {
      o.className = 'outcome bad';
      o.textContent = 'A reason is required.';
      return;
    }
    $('requeue-button').disabled = true;
    var url = API + '/' + encodeURIComponent(id) + '/requeue-behind';
    page.postJson(url, { reason: reason }).then(readBody).then(function (r) {
      var b = r.body || {};
      o.setAttribute('data-status', String(r.status));
      if (r.status === 202) {
        o.className = 'outcome ok';
        o.textContent = 'Requeued behind ' + b.parkedBehind.length + ' parked item(s): its retry is at '
          + b.appendedTo.topic + '-' + b.appendedTo.partition + '@' + b.appendedTo.offset + '.';
      } else {
        o.className = 'outcome bad';
        o.textContent = r.status + ' · ' + page.titleAndDetail(b);
      }
      $('requeue-button').disabled = false;
    }).catch(function (e) {
      o.className = 'outcome bad';
      o.textContent = e.message;
      $('requeue-button').disabled = false;
    });
  }

  function start() {
    $('requeue-button').addEventListener('click', requeueBehind);
    $('data-editor').addEventListener('input', scheduleValidation);
    new MutationObserver(resetForItem).observe($('detail-id'), { childList: true, characterData: true, subtree: true });
    $('patch-dry-run').addEventListener('click', function () { runPatch(true); });
    $('patch-apply').addEventListener('click', function () {
      // Apply only what was previewed.
      if (lastDryRun !== $('patch-fingerprint').value + '\n' + $('patch-editor').value) {
        showPatchOutcome(false, 'Run a dry run of this patch first.');
        $('patch-apply').disabled = true;
        return;
      }
      runPatch(false);
    });
    ['patch-editor', 'patch-fingerprint'].forEach(function (id) {
      $(id).addEventListener('input', function () { $('patch-apply').disabled = true; });
    });
    // Choosing a failure group fills the patch form's fingerprint.
    new MutationObserver(function () {
      var f = $('filter-fingerprint').value;
      if (f) { $('patch-fingerprint').value = f; $('patch-apply').disabled = true; }
    }).observe($('fingerprint-value'), { childList: true, characterData: true, subtree: true });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
