// Session plumbing for the console page, loaded before app.js. It wraps window.fetch so that the rest of the page
// needs to know nothing about sign-in:
//  - a state-changing request (anything but GET/HEAD) carries the session's CSRF token in X-CSRF-Token;
//  - a 401 (the session ended) sends the browser to /login, which brings it back here afterwards.
// It also shows who is signed in, offers sign-out, and marks the page with the role (viewers get no edit controls;
// the server refuses their changes anyway).
(function () {
  'use strict';

  var plainFetch = window.fetch.bind(window);

  function toLogin() {
    location.assign('/login?next=' + encodeURIComponent(location.pathname + location.search));
  }

  var session = plainFetch('/api/v1/session', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (res) {
      if (res.status === 401) { toLogin(); return null; }
      return res.ok ? res.json() : null;
    })
    .catch(function () { return null; });

  window.fetch = function (input, init) {
    init = init || {};
    var method = (init.method || 'GET').toUpperCase();
    var ready = method === 'GET' || method === 'HEAD' ? Promise.resolve(null) : session;
    return ready.then(function (s) {
      if (s && s.csrfToken) {
        var headers = new Headers(init.headers || {});
        headers.set('X-CSRF-Token', s.csrfToken);
        init = Object.assign({}, init, { headers: headers });
      }
      return plainFetch(input, init);
    }).then(function (res) {
      if (res.status === 401) toLogin();
      return res;
    });
  };

  function signOut() {
    window.fetch('/logout', { method: 'POST' }).then(function () { location.assign('/login'); });
  }

  function show(s) {
    if (!s) return;
    document.body.setAttribute('data-role', s.role);
    var box = document.getElementById('session');
    var user = document.getElementById('session-user');
    if (box && user) {
      user.textContent = s.user + ' (' + s.role + ')';
      box.hidden = false;
    }
    var logout = document.getElementById('logout');
    if (logout) {
      if (s.via === 'session') logout.addEventListener('click', signOut); else logout.hidden = true;
    }
  }

  window.sluiceSession = session;
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { session.then(show); });
  } else {
    session.then(show);
  }
})();
