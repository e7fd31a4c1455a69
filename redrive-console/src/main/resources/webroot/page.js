// What the console page's scripts share (app.js, fix.js, jobs.js, replays.js and storms.js, all loaded after this
// one): building elements, reading the API's JSON answers, starting a view. Every value from the server goes in
// through textContent, never as HTML: payloads are untrusted.
window.sluicePage = (function () {
  'use strict';

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // The answer's status and its body read as JSON. A body that is not JSON (say, a proxy's error page) reads as
  // null, or as what notJson(text) makes of it when given.
  function readBody(res, notJson) {
    return res.text().then(function (text) {
      var body = null;
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = notJson ? notJson(text) : null; }
      return { status: res.status, body: body };
    });
  }

  function getJson(url) {
    return fetch(url, { headers: { Accept: 'application/json' } });
  }

  function postJson(url, value) {
    return fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(value)
    });
  }

  // A problem+json body as one line: "Title: detail", either part left out when missing.
  function titleAndDetail(b) {
    return (b.title ? b.title + ': ' : '') + (b.detail || '');
  }

  // Schema violations as list items, each marked with its pointer for the tests and the eye.
  function fillViolations(list, violations, testid) {
    list.textContent = '';
    (violations || []).forEach(function (v) {
      var li = el('li');
      li.setAttribute('data-testid', testid);
      li.setAttribute('data-pointer', v.pointer);
      li.appendChild(el('code', v.pointer));
      li.appendChild(document.createTextNode(' ' + v.keyword + ': ' + v.message));
      list.appendChild(li);
    });
  }

  // Starts a view that builds a section of its own once the page is there: build() (false when the page has no place
  // for it), then load(), and load() again on every click of the page's Refresh.
  function startView(build, load) {
    function init() {
      if (!build()) return;
      load();
      var refresh = document.getElementById('refresh');
      if (refresh) refresh.addEventListener('click', load);
    }
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init); else init();
  }

  return {
    el: el, readBody: readBody, getJson: getJson, postJson: postJson, titleAndDetail: titleAndDetail,
    fillViolations: fillViolations, startView: startView
  };
}());
