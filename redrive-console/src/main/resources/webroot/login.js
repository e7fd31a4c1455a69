// The sign-in page. A shared /quarantine/{id} link opened from another site (a chat message) does not carry the
// SameSite=Strict session cookie, so the browser lands here even when signed in. A request from this page is
// same-site and does carry it: if the session is live, go straight on to the page that was asked for.
(function () {
  'use strict';
  var next = document.querySelector('input[name=next]');
  fetch('/api/v1/session', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (res) {
      if (res.ok && next && next.value.charAt(0) === '/' && next.value.charAt(1) !== '/') location.replace(next.value);
    })
    .catch(function () { /* stay on the form */ });
})();
