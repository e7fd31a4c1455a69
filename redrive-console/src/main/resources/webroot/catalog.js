// The stream catalog page: /streams lists the streams (owner, description, types with their latest version, how they
// are kept, how many wrapped groups read them); /streams/{name} shows one: its label, the consumer groups reading it
// with their lag, owner and declared reads, the API keys whose events the gateways appended ("producers seen", with
// their rates), each type's schema versions pretty-printed with the changes between consecutive versions and, per
// field, the groups that declared they read it, and the newest events of its topic (masked for viewers by the server;
// sealed values stay sealed). Loaded after auth.js and page.js. Every value from the server goes in as textContent,
// never as HTML.
(function () {
  'use strict';

  var API = '/api/v1/catalog/streams';
  var page = window.sluicePage;
  var el = page.el;

  function text(id, value) {
    var e = document.getElementById(id);
    e.textContent = value === null || value === undefined || value === '' ? '—' : String(value);
    return e;
  }

  function cell(value, testid) {
    var td = el('td', value === null || value === undefined ? '—' : value);
    if (testid) td.setAttribute('data-testid', testid);
    return td;
  }

  function retention(r) {
    return r === null || r === undefined ? 'deployment default' : r;
  }

  function pretty(value) {
    return JSON.stringify(value, null, 2);
  }

  // ------------------------------------------------------------------------------------------------- the list

  function streamRow(s) {
    var tr = el('tr');
    tr.setAttribute('data-testid', 'stream-row');
    tr.setAttribute('data-stream', s.name);
    var name = el('td');
    var a = el('a', s.name);
    a.href = '/streams/' + encodeURIComponent(s.name);
    a.setAttribute('data-testid', 'stream-link');
    name.appendChild(a);
    tr.appendChild(name);
    tr.appendChild(cell(s.owner, 'stream-row-owner'));
    tr.appendChild(cell(s.description));
    tr.appendChild(cell((s.types || []).map(function (t) {
      return t.type + (t.latestVersion ? ' v' + t.latestVersion : ' (no version)');
    }).join(', ')));
    tr.appendChild(cell(s.partitions));
    tr.appendChild(cell(s.ordering));
    tr.appendChild(cell(retention(s.retention)));
    tr.appendChild(cell(s.stalenessObjective));
    tr.appendChild(cell(s.groupsReading === null ? '?' : s.groupsReading, 'stream-row-groups'));
    return tr;
  }

  function loadList() {
    document.getElementById('streams').hidden = false;
    var status = document.getElementById('streams-status');
    return page.getJson(API).then(page.readBody).then(function (r) {
      if (r.status !== 200 || !r.body) {
        status.textContent = 'Could not load the streams (' + r.status + ')' + (r.body ? ': ' + page.titleAndDetail(r.body) : '');
        return;
      }
      var body = document.getElementById('streams-body');
      body.textContent = '';
      r.body.streams.forEach(function (s) { body.appendChild(streamRow(s)); });
      status.textContent = r.body.streams.length + ' stream(s).' + (r.body.notes.length ? ' ' + r.body.notes.join(' ') : '');
    });
  }

  // ------------------------------------------------------------------------------------------ one stream

  /** Seconds in an ISO-8601 duration of days, hours, minutes and seconds ("PT5M" is 300); null when not one. */
  function isoSeconds(text) {
    var m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text || '');
    if (!m) return null;
    return (+(m[1] || 0)) * 86400 + (+(m[2] || 0)) * 3600 + (+(m[3] || 0)) * 60 + (+(m[4] || 0));
  }

  /** A group's staleness on this stream, flagged when it breaks the stream's objective. */
  function stalenessCell(g, stream, objective) {
    var seconds = g.staleness ? g.staleness[stream] : undefined;
    if (seconds === undefined || seconds === null) return cell(g.wrapped ? 'unknown' : 'not reported', 'group-staleness');
    var td = cell(Math.round(seconds) + ' s', 'group-staleness');
    var limit = isoSeconds(objective);
    if (limit !== null && seconds > limit) {
      td.className = 'stale';
      td.textContent += ' (over the ' + objective + ' objective)';
    }
    return td;
  }

  /**
   * A wrapped group's quarantine rate on this stream over its last heartbeat window: "0.4/s (2.1 %)"; the share is
   * left out when nothing was finished in the window. "—" when not reported, and for a group that is not wrapped.
   */
  function quarantineText(q) {
    if (!q) return null;
    var perSecond = q.perSecond >= 10 ? Math.round(q.perSecond) : Math.round(q.perSecond * 100) / 100;
    var share = q.share === null || q.share === undefined ? '' : ' (' + (Math.round(q.share * 1000) / 10) + ' %)';
    return perSecond + '/s' + share;
  }

  /** "owner (contact)", either part left out when unstated; null when both are. */
  function ownerText(owner, contact) {
    if (!owner && !contact) return null;
    return (owner || 'no owner stated') + (contact ? ' (' + contact + ')' : '');
  }

  /** A group's declared reads, type by type: "type: /data/a, /data/b; ...". */
  function readsText(reads) {
    var types = reads ? Object.keys(reads) : [];
    if (!types.length) return null;
    return types.map(function (t) { return t + ': ' + reads[t].join(', '); }).join('; ');
  }

  function groupRow(g, stream, objective) {
    var tr = el('tr');
    tr.setAttribute('data-testid', 'group-row');
    tr.setAttribute('data-group', g.group);
    tr.appendChild(cell(g.group, 'group-name'));
    tr.appendChild(cell(g.wrapped ? ownerText(g.owner, g.contact) : null, 'group-owner'));
    var wrapped = cell(g.wrapped ? 'yes' : 'no', 'group-wrapped');
    if (!g.wrapped) wrapped.className = 'wrapped-no';
    tr.appendChild(wrapped);
    tr.appendChild(cell(g.instances ? g.instances.map(function (i) { return i.host; }).join(', ') : null));
    var versions = g.versionsSeen ? Object.keys(g.versionsSeen).map(function (t) {
      return t + ': v' + g.versionsSeen[t].join(', v');
    }).join('; ') : null;
    tr.appendChild(cell(versions));
    tr.appendChild(cell(g.wrapped ? (readsText(g.reads) || 'none declared') : null, 'group-reads'));
    var lag = g.lag === null || g.lag === undefined ? 'unknown' : String(g.lag);
    if (g.lagByPartition && Object.keys(g.lagByPartition).length > 1) {
      lag += ' (' + Object.keys(g.lagByPartition).map(function (p) { return 'p' + p + ': ' + g.lagByPartition[p]; })
        .join(', ') + ')';
    }
    tr.appendChild(cell(lag, 'group-lag'));
    tr.appendChild(stalenessCell(g, stream, objective));
    var quarantine = cell(quarantineText(g.quarantine), 'group-quarantine');
    if (g.quarantine) {
      quarantine.title = g.quarantine.quarantined + ' quarantined, ' + g.quarantine.handled + ' handled in the last '
        + Math.round(g.quarantine.windowSeconds) + ' s';
    }
    tr.appendChild(quarantine);
    tr.appendChild(cell(g.lastSeen));
    return tr;
  }

  // ----------------------------------------------------------------------------------- producers seen

  /** Events per second, to two places below 10, whole above. */
  function rate(r) {
    return (r >= 10 ? Math.round(r) : Math.round(r * 100) / 100) + '/s';
  }

  function producerRow(p) {
    var tr = el('tr');
    tr.setAttribute('data-testid', 'producer-row');
    tr.setAttribute('data-key', p.key);
    tr.appendChild(cell(p.key, 'producer-key'));
    var r = cell(p.idle ? 'idle' : rate(p.ratePerSecond), 'producer-rate');
    if (p.idle) r.className = 'muted';
    tr.appendChild(r);
    tr.appendChild(cell(String(p.windowEvents), 'producer-window'));
    tr.appendChild(cell(String(p.totalEvents), 'producer-total'));
    tr.appendChild(cell(String(p.gateways), 'producer-gateways'));
    tr.appendChild(cell(p.lastSeen, 'producer-last-seen'));
    return tr;
  }

  function showProducers(producers) {
    var body = document.getElementById('stream-producers-body');
    body.textContent = '';
    (producers || []).forEach(function (p) { body.appendChild(producerRow(p)); });
    if (!producers || !producers.length) {
      body.appendChild(el('tr')).appendChild(el('td', 'No API key posted to it lately.', 'muted'));
    }
  }

  // ------------------------------------------------------------------------------------------ schemas

  function diffLine(line) {
    var li = el('li', null, line.op === 'added' ? 'diff-add' : line.op === 'removed' ? 'diff-remove' : 'diff-change');
    li.setAttribute('data-testid', 'diff-line');
    var sign = line.op === 'added' ? '+ ' : line.op === 'removed' ? '− ' : '~ ';
    li.appendChild(el('code', sign + line.pointer));
    var what = line.op === 'added' ? JSON.stringify(line.after)
      : line.op === 'removed' ? JSON.stringify(line.before)
        : JSON.stringify(line.before) + ' → ' + JSON.stringify(line.after);
    li.appendChild(document.createTextNode(' ' + what));
    return li;
  }

  function verdict(label, changes) {
    var p = el('p', null, changes && changes.length ? 'breaking' : 'muted');
    p.setAttribute('data-testid', 'diff-verdict');
    if (changes === undefined) {
      p.textContent = label + ': not checked (a version the checker cannot read)';
    } else if (!changes.length) {
      p.textContent = label + ': compatible';
    } else {
      p.textContent = label + ': ' + changes.map(function (c) { return c.message + ' [' + c.rule + ' at ' + c.pointer + ']'; })
        .join('; ');
    }
    return p;
  }

  /**
   * What the live groups declared they read of a type: per field, how many groups read it and which; then each
   * declaring group with its owner and contact, who to talk to before changing the field.
   */
  function declaredBlock(d) {
    var box = el('div', null, 'declared');
    box.setAttribute('data-testid', 'declared-reads');
    if (d === null || d === undefined) {
      box.appendChild(el('p', 'Declared reads: unknown (the consumer-group registry did not answer)', 'muted'));
      return box;
    }
    if (!d.pointers.length) {
      box.appendChild(el('p', 'Declared reads: no live consumer group declares what it reads of this type.', 'muted'));
      return box;
    }
    box.appendChild(el('strong', 'Declared reads'));
    var ul = el('ul', null, 'declared-pointers');
    d.pointers.forEach(function (p) {
      var li = el('li');
      li.setAttribute('data-testid', 'declared-pointer');
      li.setAttribute('data-pointer', p.pointer);
      var count = el('span', p.groups.length + (p.groups.length === 1 ? ' group reads ' : ' groups read '));
      count.setAttribute('data-testid', 'declared-count');
      li.appendChild(count);
      li.appendChild(el('code', p.pointer));
      li.appendChild(document.createTextNode(': ' + p.groups.join(', ')));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    var groups = el('ul', null, 'declared-groups muted');
    d.groups.forEach(function (g) {
      var li = el('li', g.group + ' · ' + (ownerText(g.owner, g.contact) || 'no owner stated') + ' · reads '
        + g.pointers.join(', '));
      li.setAttribute('data-testid', 'declared-group');
      li.setAttribute('data-group', g.group);
      groups.appendChild(li);
    });
    box.appendChild(groups);
    return box;
  }

  function typeBlock(t) {
    var box = el('div', null, 'catalog-type');
    box.setAttribute('data-testid', 'type-block');
    box.setAttribute('data-type', t.type);
    box.appendChild(el('h4', t.type));
    box.appendChild(el('p', 'Partition key ' + t.partitionKey + ' · compatibility ' + t.compatibility
      + (t.compatibilitySet ? '' : ' (default)') + ' · ' + t.versions.length + ' version(s)', 'muted'));
    box.appendChild(declaredBlock(t.declaredReads));
    t.versions.slice().reverse().forEach(function (v, i) {
      var d = el('details');
      d.setAttribute('data-testid', 'schema-version');
      d.setAttribute('data-version', v.version);
      if (i === 0) d.open = true;
      d.appendChild(el('summary', 'v' + v.version + (i === 0 ? ' (latest)' : '') + (v.usable ? '' : ' (unusable)')
        + ' · ' + v.fingerprint.substring(0, 12)));
      var pre = el('pre', pretty(v.schema), 'code');
      pre.setAttribute('data-testid', 'schema-json');
      d.appendChild(pre);
      box.appendChild(d);
    });
    t.changes.slice().reverse().forEach(function (c) {
      var d = el('div');
      d.setAttribute('data-testid', 'version-diff');
      d.appendChild(el('strong', 'v' + c.from + ' → v' + c.to));
      var ul = el('ul', null, 'diff');
      c.lines.forEach(function (line) { ul.appendChild(diffLine(line)); });
      if (!c.lines.length) ul.appendChild(el('li', 'no change in the schema text', 'muted'));
      d.appendChild(ul);
      d.appendChild(verdict('Readers on v' + c.to + ' reading v' + c.from + ' events (backward)', c.backward));
      d.appendChild(verdict('Readers on v' + c.from + ' reading v' + c.to + ' events (forward)', c.forward));
      box.appendChild(d);
    });
    return box;
  }

  function sampleBlock(s) {
    var box = el('div', null, 'catalog-sample');
    box.setAttribute('data-testid', 'sample');
    box.appendChild(el('div', (s.type || '(not a CloudEvent)') + ' · ' + s.timestamp + ' · partition ' + s.partition
      + ' offset ' + s.offset + (s.schemaVersion ? ' · schema v' + s.schemaVersion : '')
      + (s.sealed && s.sealed.length ? ' · sealed: ' + s.sealed.join(', ') : ''), 'muted'));
    var pre = el('pre', typeof s.data === 'string' ? s.data : pretty(s.data), 'code');
    pre.setAttribute('data-testid', 'sample-data');
    box.appendChild(pre);
    return box;
  }

  function loadStream(name) {
    document.getElementById('stream').hidden = false;
    text('stream-name', name);
    var status = document.getElementById('stream-status');
    status.textContent = 'Loading…';
    return page.getJson(API + '/' + encodeURIComponent(name)).then(page.readBody).then(function (r) {
      if (r.status !== 200 || !r.body) {
        status.textContent = r.status === 404 ? 'There is no stream named ' + name + '.'
          : 'Could not load the stream (' + r.status + ')' + (r.body ? ': ' + page.titleAndDetail(r.body) : '');
        return;
      }
      var s = r.body;
      status.textContent = '';
      text('stream-owner', s.owner);
      text('stream-contact', s.contact);
      text('stream-description', s.description);
      text('stream-topic', s.topic);
      text('stream-partitions', s.partitions);
      text('stream-ordering', s.ordering);
      text('stream-retention', retention(s.retention));
      text('stream-staleness', s.stalenessObjective);
      var notes = document.getElementById('stream-notes');
      notes.textContent = '';
      s.notes.forEach(function (n) { notes.appendChild(el('li', n)); });
      var groups = document.getElementById('stream-groups-body');
      groups.textContent = '';
      s.groups.forEach(function (g) { groups.appendChild(groupRow(g, s.name, s.stalenessObjective)); });
      if (!s.groups.length) groups.appendChild(el('tr')).appendChild(el('td', 'No consumer group reads it.', 'muted'));
      showProducers(s.producers);
      var types = document.getElementById('stream-types');
      types.textContent = '';
      s.types.forEach(function (t) { types.appendChild(typeBlock(t)); });
      var samples = document.getElementById('stream-samples');
      samples.textContent = '';
      s.samples.forEach(function (x) { samples.appendChild(sampleBlock(x)); });
      if (!s.samples.length) samples.appendChild(el('p', 'No events to show.', 'muted'));
    });
  }

  function start() {
    var m = location.pathname.match(/^\/streams\/(.+)$/);
    if (m) loadStream(decodeURIComponent(m[1])); else loadList();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
}());
