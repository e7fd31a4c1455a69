// The storms view: the storms the consumers' breakers tripped (group, stream, partition, the fingerprint, state, since,
// counts, the first record held, a sample item), latest first; for an operator or admin, the buttons a storm's state
// allows: Resume, and Quarantine everything. Loaded after auth.js (which adds the CSRF token to every POST), page.js
// and app.js. Builds its own section; every value from the server goes in as textContent.
(function () {
  'use strict';

  var STORMS = '/api/v1/storms';
  var page = window.sluicePage;
  var readBody = page.readBody;
  var el = page.el;

  function build() {
    var list = document.getElementById('list');
    if (!list) return false;
    var section = el('section', null, 'storms');
    section.id = 'storms';
    section.setAttribute('data-testid', 'storms');
    section.appendChild(el('h3', 'Storms'));
    section.appendChild(el('p', 'A storm is one way of failing flooding a partition: the consumer paused the partition '
      + 'instead of quarantining every record. Resume it once the cause is fixed, or quarantine everything.', 'muted'));
    var out = el('p', null, 'muted');
    out.id = 'storm-outcome';
    out.setAttribute('role', 'status');
    out.setAttribute('data-testid', 'storm-outcome');
    section.appendChild(out);

    var table = el('table', null, 'small');
    table.id = 'storms-table';
    table.setAttribute('data-testid', 'storms-table');
    var head = el('thead');
    var hr = el('tr');
    ['State', 'Group', 'Stream', 'Partition', 'Type', 'Reason', 'Where', 'Since', 'Failed', 'First held', 'Sample', '']
      .forEach(function (h) { hr.appendChild(el('th', h)); });
    head.appendChild(hr);
    table.appendChild(head);
    var body = el('tbody');
    body.id = 'storms-body';
    body.setAttribute('data-testid', 'storms-body');
    table.appendChild(body);
    section.appendChild(table);
    list.appendChild(section);
    return true;
  }

  function cell(text, testid) {
    var td = el('td', text);
    if (testid) td.setAttribute('data-testid', testid);
    return td;
  }

  function sample(storm) {
    var td = el('td');
    if (storm.sampleItemId) {
      // An item's shareable address opens its detail.
      var a = el('a', 'item');
      a.href = '/quarantine/' + encodeURIComponent(storm.sampleItemId);
      a.setAttribute('data-testid', 'storm-sample');
      td.appendChild(a);
    }
    return td;
  }

  function buttons(storm) {
    var td = el('td', null, 'actions requires-change');
    [['resume', 'Resume', storm.state !== 'RESUMED'],
      ['quarantine-all', 'Quarantine everything', storm.state === 'TRIPPED']].forEach(function (b) {
      if (!b[2]) return;
      var button = el('button', b[1], b[0] === 'quarantine-all' ? 'danger' : null);
      button.type = 'button';
      button.setAttribute('data-action', b[0]);
      button.setAttribute('data-testid', 'storm-' + b[0]);
      button.addEventListener('click', function () { act(storm, b[0]); });
      td.appendChild(button);
    });
    return td;
  }

  function row(storm) {
    var tr = el('tr');
    tr.setAttribute('data-storm', storm.group + '/' + storm.id);
    tr.setAttribute('data-testid', 'storm-row');
    var state = el('span', storm.state, 'status');
    state.setAttribute('data-testid', 'storm-state');
    var first = el('td');
    first.appendChild(state);
    tr.appendChild(first);
    tr.appendChild(cell(storm.group));
    tr.appendChild(cell(storm.stream));
    tr.appendChild(cell(storm.topic + '-' + storm.partition));
    tr.appendChild(cell(storm.fingerprint.type || '(none)'));
    tr.appendChild(cell(storm.fingerprint.reason));
    tr.appendChild(cell(storm.fingerprint.locus));
    tr.appendChild(cell(storm.since));
    tr.appendChild(cell(storm.failures + ' of ' + storm.records, 'storm-counts'));
    tr.appendChild(cell(storm.firstHeldOffset));
    tr.appendChild(sample(storm));
    tr.appendChild(buttons(storm));
    return tr;
  }

  function act(storm, action) {
    var out = document.getElementById('storm-outcome');
    page.postJson(STORMS + '/' + encodeURIComponent(storm.group) + '/' + storm.id + '/' + action, {})
      .then(readBody)
      .then(function (r) {
        var b = r.body || {};
        out.textContent = r.status === 200
          ? 'Storm on ' + b.topic + '-' + b.partition + ' of ' + b.group + ' is ' + b.state + '.'
          : 'Refused (' + r.status + '): ' + page.titleAndDetail(b);
        return load();
      })
      .catch(function (e) { out.textContent = action + ' failed: ' + e.message; });
  }

  function load() {
    return page.getJson(STORMS)
      .then(readBody)
      .then(function (r) {
        if (r.status !== 200 || !r.body) return;
        var body = document.getElementById('storms-body');
        body.textContent = '';
        (r.body.storms || []).forEach(function (storm) { body.appendChild(row(storm)); });
      });
  }

  page.startView(build, load);
}());
